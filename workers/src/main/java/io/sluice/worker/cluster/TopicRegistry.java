package io.sluice.worker.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.log.TopicConfig;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.JsonCodec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster's replicated data topics, in the shared config topic: {@code topic/<name>} holds the
 * topic's settings (as {@link TopicConfig#toMap()}). Written when a worker first replicates a topic,
 * so every worker, including those that hold no replica of it, knows it exists and how many
 * partitions it has. Thread-safe.
 */
final class TopicRegistry {

    static final String PREFIX = "topic/";
    static final String PLACEMENT = "placement/";
    private static final TypeReference<List<Integer>> NODES = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> SETTINGS = new TypeReference<>() {};

    private final CompactedTopicMap configs;

    TopicRegistry(CompactedTopicMap configs) {
        this.configs = configs;
    }

    /** Records {@code topic} with {@code config} unless it is recorded with the same settings already. */
    void register(String topic, TopicConfig config) {
        byte[] value = JsonCodec.write(new TreeMap<>(config.toMap()));
        if (!Arrays.equals(configs.get(PREFIX + topic), value)) {
            configs.put(PREFIX + topic, value);
        }
    }

    /** Every registered topic with its settings. */
    Map<String, Map<String, String>> topics() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        configs.withPrefix(PREFIX)
                .forEach((k, v) -> out.put(k.substring(PREFIX.length()), JsonCodec.read(v, SETTINGS, "topic " + k)));
        return out;
    }

    Optional<Integer> partitions(String topic) {
        byte[] v = configs.get(PREFIX + topic);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(TopicConfig.DEFAULTS
                .with(JsonCodec.read(v, SETTINGS, "topic " + topic))
                .partitions());
    }

    /**
     * Records where a partition's replicas are after a move ({@code placement/<topic>/<partition>},
     * a JSON list of node ids, preferred leader first). A partition never moved has no entry: its
     * replicas are where {@link ReplicatedTopicWriter#placement} puts them.
     */
    void recordPlacement(String topic, int partition, List<Integer> replicas) {
        configs.put(PLACEMENT + topic + "/" + partition, JsonCodec.write(List.copyOf(replicas)));
    }

    /** The recorded placement of a moved partition. */
    Optional<List<Integer>> placement(String topic, int partition) {
        byte[] v = configs.get(PLACEMENT + topic + "/" + partition);
        return v == null
                ? Optional.empty()
                : Optional.of(JsonCodec.read(v, NODES, "placement of " + topic + "-" + partition));
    }
}
