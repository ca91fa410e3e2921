package io.sluice.worker.task;

import io.sluice.log.PartitionLog;
import io.sluice.worker.store.SourceOffsetStore;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Collects the newest source offset per source partition of records already appended, and stores
 * them every {@code offset.flush.interval.ms}: first forcing the log partitions written since the
 * last commit to disk, then writing the offsets. Used by one task thread only.
 */
public final class SourceOffsetCommitter {

    private final String connector;
    private final SourceOffsetStore store;
    private final long intervalMs;
    private final TaskMetrics metrics;
    private final Map<Map<String, ?>, Map<String, ?>> pending = new HashMap<>();
    private final Set<PartitionLog> touched = new LinkedHashSet<>();
    private long nextCommit;

    public SourceOffsetCommitter(String connector, SourceOffsetStore store, long intervalMs, TaskMetrics metrics) {
        this.connector = connector;
        this.store = store;
        this.intervalMs = intervalMs;
        this.metrics = metrics;
        this.nextCommit = System.currentTimeMillis() + intervalMs;
    }

    void record(Map<String, ?> sourcePartition, Map<String, ?> sourceOffset) {
        if (sourcePartition != null && sourceOffset != null) {
            pending.put(sourcePartition, sourceOffset);
        }
    }

    void touched(PartitionLog partition) {
        touched.add(partition);
    }

    boolean due() {
        return System.currentTimeMillis() >= nextCommit;
    }

    /** Makes the appended records durable, then stores their offsets. */
    void commit() {
        long start = System.nanoTime();
        touched.forEach(PartitionLog::flush);
        touched.clear();
        if (!pending.isEmpty()) {
            store.put(connector, new HashMap<>(pending));
            pending.clear();
        }
        nextCommit = System.currentTimeMillis() + intervalMs;
        metrics.committed(System.nanoTime() - start);
    }
}
