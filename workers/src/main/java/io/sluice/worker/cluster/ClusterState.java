package io.sluice.worker.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.JsonCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster's records in the shared config topic, beside the connector configs: members
 * ({@code member/<node>}), the assignment of each connector and its tasks ({@code assignment/<name>})
 * and the assignment generation ({@code cluster/generation}). Reads are of this worker's applied copy.
 * Thread-safe.
 */
public final class ClusterState {

    static final String MEMBER = "member/";
    static final String ASSIGNMENT = "assignment/";
    static final String GENERATION = "cluster/generation";

    /** A worker's membership: {@code ALIVE} while it heart-beats, {@code DEAD} after a session timeout. */
    public record Member(
            @JsonProperty("node") int node,
            @JsonProperty("worker_id") String workerId,
            @JsonProperty("state") String state,
            @JsonProperty("since") long since) {
        public boolean alive() {
            return "ALIVE".equals(state);
        }
    }

    /** Who runs a connector or task, and the epoch of that assignment (monotonic per task). */
    public record Owner(
            @JsonProperty("node") int node,
            @JsonProperty("epoch") long epoch) {}

    /** The owners of a connector instance and of each of its tasks (by task index). */
    public record Assignment(
            @JsonProperty("connector") Owner connector,
            @JsonProperty("tasks") List<Owner> tasks) {
        public Assignment {
            tasks = tasks == null ? List.of() : List.copyOf(tasks);
        }
    }

    private static final TypeReference<Member> MEMBER_TYPE = new TypeReference<>() {};
    private static final TypeReference<Assignment> ASSIGNMENT_TYPE = new TypeReference<>() {};
    private static final TypeReference<Map<String, Long>> GENERATION_TYPE = new TypeReference<>() {};

    private final CompactedTopicMap configs;

    public ClusterState(CompactedTopicMap configs) {
        this.configs = configs;
    }

    public long generation() {
        byte[] v = configs.get(GENERATION);
        return v == null ? 0 : JsonCodec.read(v, GENERATION_TYPE, "generation").getOrDefault("generation", 0L);
    }

    public Map<Integer, Member> members() {
        Map<Integer, Member> out = new TreeMap<>();
        configs.withPrefix(MEMBER).values().forEach(v -> {
            Member m = JsonCodec.read(v, MEMBER_TYPE, "member");
            out.put(m.node(), m);
        });
        return out;
    }

    public Map<String, Assignment> assignments() {
        Map<String, Assignment> out = new TreeMap<>();
        configs.withPrefix(ASSIGNMENT)
                .forEach((k, v) -> out.put(
                        k.substring(ASSIGNMENT.length()), JsonCodec.read(v, ASSIGNMENT_TYPE, "assignment " + k)));
        return out;
    }

    public Optional<Assignment> assignment(String connector) {
        byte[] v = configs.get(ASSIGNMENT + connector);
        return v == null ? Optional.empty() : Optional.of(JsonCodec.read(v, ASSIGNMENT_TYPE, "assignment"));
    }

    static byte[] encode(Object value) {
        return JsonCodec.write(value);
    }

    static byte[] encodeGeneration(long generation) {
        Map<String, Long> g = new LinkedHashMap<>();
        g.put("generation", generation);
        return JsonCodec.write(g);
    }

    CompactedTopicMap map() {
        return configs;
    }
}
