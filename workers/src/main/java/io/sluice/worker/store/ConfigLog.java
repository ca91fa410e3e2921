package io.sluice.worker.store;

import java.util.Map;

/**
 * Where changes to a shared compacted map go when the worker is part of a cluster: through the
 * cluster's metadata group, which applies them to every worker's copy of the map in the same order.
 * Without one, a {@link CompactedTopicMap} appends to its local topic.
 *
 * <p>Implementations are thread-safe.
 */
public interface ConfigLog {

    /**
     * Writes {@code changes} to {@code topic} (a {@code null} value removes the key). Blocks until the
     * change is committed and applied to this worker's copy, so a read right after sees it.
     *
     * @throws IllegalStateException when the change cannot be committed (no majority reachable)
     */
    void write(String topic, Map<String, byte[]> changes);

    /**
     * As {@link #write(String, Map)} for a task's offset commit: applied only while {@code writer}
     * still holds its assignment at that epoch.
     *
     * @throws FencedWriteException when the task no longer holds it
     */
    void write(String topic, Map<String, byte[]> changes, TaskEpoch writer);

    /** Writes without waiting; a failure is logged, not thrown. Used for frequent, superseded values. */
    void writeAsync(String topic, Map<String, byte[]> changes);
}
