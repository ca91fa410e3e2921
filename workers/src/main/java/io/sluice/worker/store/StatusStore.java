package io.sluice.worker.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Optional;

/**
 * Last known state of every connector and task, in the compacted topic {@code __sluice_status}, so
 * status survives restarts and (later) is visible to every worker. Keys {@code connector/<name>} and
 * {@code task/<name>/<id>}. Thread-safe.
 */
public final class StatusStore {

    public static final String TOPIC = "__sluice_status";
    private static final TypeReference<Entry> ENTRY = new TypeReference<>() {};

    /**
     * A stored status.
     *
     * @param state UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED or RESTARTING
     * @param workerId the worker that reported it
     * @param trace the stack trace of a FAILED state, else null
     * @param restarts restart history, newest last (bounded)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String state, String workerId, String trace, long timestamp, List<Restart> restarts) {
        public Entry {
            restarts = restarts == null ? List.of() : List.copyOf(restarts);
        }
    }

    /** One automatic or requested restart. */
    public record Restart(long timestamp, int attempt, String reason) {}

    private final CompactedTopicMap map;

    public StatusStore(CompactedTopicMap map) {
        this.map = map;
    }

    public void putConnector(String name, Entry entry) {
        map.put("connector/" + name, JsonCodec.write(entry));
    }

    public void putTask(String name, int task, Entry entry) {
        map.put("task/" + name + "/" + task, JsonCodec.write(entry));
    }

    public Optional<Entry> connector(String name) {
        return read("connector/" + name);
    }

    public Optional<Entry> task(String name, int task) {
        return read("task/" + name + "/" + task);
    }

    public void removeConnector(String name, int taskCount) {
        var changes = new java.util.LinkedHashMap<String, byte[]>();
        changes.put("connector/" + name, null);
        map.withPrefix("task/" + name + "/").keySet().forEach(k -> changes.put(k, null));
        map.putAll(changes);
    }

    private Optional<Entry> read(String key) {
        byte[] v = map.get(key);
        return v == null ? Optional.empty() : Optional.of(JsonCodec.read(v, ENTRY, "status " + key));
    }
}
