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
     * @param epoch in a cluster, the assignment epoch of the worker that reported it; the metadata group
     *     drops a report whose epoch is not the current one (a worker that lost the task); else null
     * @param retrying while a RUNNING task retries a transient failure, what fails and since when; else null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(
            String state,
            String workerId,
            String trace,
            long timestamp,
            List<Restart> restarts,
            Long epoch,
            Retrying retrying) {
        public Entry {
            restarts = restarts == null ? List.of() : List.copyOf(restarts);
        }

        public Entry(String state, String workerId, String trace, long timestamp, List<Restart> restarts, Long epoch) {
            this(state, workerId, trace, timestamp, restarts, epoch, null);
        }

        public Entry(String state, String workerId, String trace, long timestamp, List<Restart> restarts) {
            this(state, workerId, trace, timestamp, restarts, null, null);
        }
    }

    /** A transient failure a running task retries: the error and since when (epoch ms). */
    public record Retrying(String error, long since) {}

    /** One automatic or requested restart. */
    public record Restart(long timestamp, int attempt, String reason) {}

    private final CompactedTopicMap map;

    public StatusStore(CompactedTopicMap map) {
        this.map = map;
    }

    /** Stores a connector's status; in a cluster, returns before the change is committed. */
    public void putConnector(String name, Entry entry) {
        map.putAllEventually(one("connector/" + name, JsonCodec.write(entry)));
    }

    /** Stores a task's status; in a cluster, returns before the change is committed. */
    public void putTask(String name, int task, Entry entry) {
        map.putAllEventually(one("task/" + name + "/" + task, JsonCodec.write(entry)));
    }

    private static java.util.Map<String, byte[]> one(String key, byte[] value) {
        java.util.Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        out.put(key, value);
        return out;
    }

    /** Task statuses stored for {@code name}, by task index (other workers' tasks included). */
    public java.util.SortedMap<Integer, Entry> tasks(String name) {
        java.util.SortedMap<Integer, Entry> out = new java.util.TreeMap<>();
        String prefix = "task/" + name + "/";
        map.withPrefix(prefix).forEach((k, v) -> {
            try {
                out.put(Integer.parseInt(k.substring(prefix.length())), JsonCodec.read(v, ENTRY, "status " + k));
            } catch (NumberFormatException notATask) {
                // not a task key
            }
        });
        return out;
    }

    /** Reads a stored status value (for the metadata group's epoch check). */
    public static Entry decode(byte[] value) {
        return JsonCodec.read(value, ENTRY, "status");
    }

    public static byte[] encode(Entry entry) {
        return JsonCodec.write(entry);
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
