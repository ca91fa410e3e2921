package io.sluice.worker.task;

import io.sluice.log.TopicPartition;
import io.sluice.worker.store.SourceOffsetStore;
import io.sluice.worker.store.TaskEpoch;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Collects the newest source offset per source partition of records already appended, and stores
 * them every {@code offset.flush.interval.ms}: first forcing the log partitions written since the
 * last commit to disk, then writing the offsets, then calling the task's {@code commit()}. An offset
 * that starts a new phase of its partition ({@link OffsetPhase}: a CDC snapshot's end, the first
 * streaming offset after it) makes a commit due at once, so a restart soon after never repeats the
 * phase that just ended.
 *
 * <p>{@link #record}, {@link #touched}, {@link #due} and {@link #commitInBackground} are called by the
 * task thread only. The flush, the store and the {@code afterStored} callback of a background commit
 * run on this committer's own thread (as Kafka Connect commits offsets off the polling thread), so
 * an fsync never holds up the records that follow; one commit is in flight at a time, and a failed
 * one is rethrown to the task thread by the next {@link #due} or {@link #commit} call.
 */
public final class SourceOffsetCommitter implements AutoCloseable {

    private final TopicWriter writer;
    private final String connector;
    private final SourceOffsetStore store;
    private final long intervalMs;
    private final TaskMetrics metrics;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SourceOffsetCommitter.class);

    private final Map<Map<String, ?>, Map<String, ?>> pending = new HashMap<>();
    /** Offsets a commit could not store (no quorum then), for the next commit. */
    private final Map<Map<String, ?>, Map<String, ?>> unstored = new java.util.concurrent.ConcurrentHashMap<>();

    private final Set<TopicPartition> touched = new LinkedHashSet<>();
    /** The newest offset seen per source partition since the task started, committed or not. */
    private final Map<Map<String, ?>, Map<String, ?>> latest = new HashMap<>();
    /** Set when an offset started a new phase: the next {@link #due} is true whatever the interval. */
    private boolean phaseChanged;

    private final ExecutorService thread;
    private Future<?> inFlight;
    private long nextCommit;

    /** {@code writer} makes the partitions appended to durable before the offsets are stored. */
    public SourceOffsetCommitter(
            String connector, SourceOffsetStore store, long intervalMs, TaskMetrics metrics, TopicWriter writer) {
        this.writer = writer;
        this.connector = connector;
        this.store = store;
        this.intervalMs = intervalMs;
        this.metrics = metrics;
        this.nextCommit = System.currentTimeMillis() + intervalMs;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "offset-commit-" + connector);
            t.setDaemon(true);
            return t;
        });
    }

    void record(Map<String, ?> sourcePartition, Map<String, ?> sourceOffset) {
        if (sourcePartition != null && sourceOffset != null) {
            pending.put(sourcePartition, sourceOffset);
            Map<String, ?> before = latest.put(sourcePartition, sourceOffset);
            if (before != null && OffsetPhase.changed(before, sourceOffset)) {
                phaseChanged = true;
            }
        }
    }

    void touched(TopicPartition partition) {
        touched.add(partition);
    }

    /**
     * Whether a commit is due (the interval passed, or an offset started a new phase) and none is in
     * flight; rethrows the failure of the last one.
     */
    boolean due() throws InterruptedException {
        if (inFlight != null) {
            if (!inFlight.isDone()) {
                return false;
            }
            awaitInFlight();
        }
        return phaseChanged || System.currentTimeMillis() >= nextCommit;
    }

    /**
     * Hands what was appended so far to the committer thread: it flushes those log partitions, stores
     * their offsets and then runs {@code afterStored}. Returns at once.
     */
    void commitInBackground(TaskEpoch owner, Runnable afterStored) {
        Set<TopicPartition> partitions = new LinkedHashSet<>(touched);
        Map<Map<String, ?>, Map<String, ?>> offsets = new HashMap<>(pending);
        takeUnstored(offsets);
        touched.clear();
        pending.clear();
        phaseChanged = false;
        nextCommit = System.currentTimeMillis() + intervalMs;
        inFlight = thread.submit(() -> {
            store(owner, partitions, offsets);
            afterStored.run();
        });
    }

    /** Waits for a commit in flight, then makes what is left durable and stores it, on this thread. */
    void commit(TaskEpoch owner) throws InterruptedException {
        awaitInFlight();
        Set<TopicPartition> partitions = new LinkedHashSet<>(touched);
        Map<Map<String, ?>, Map<String, ?>> offsets = new HashMap<>(pending);
        takeUnstored(offsets);
        touched.clear();
        pending.clear();
        phaseChanged = false;
        store(owner, partitions, offsets);
        nextCommit = System.currentTimeMillis() + intervalMs;
    }

    private void store(TaskEpoch owner, Set<TopicPartition> partitions, Map<Map<String, ?>, Map<String, ?>> offsets) {
        long start = System.nanoTime();
        partitions.forEach(tp -> writer.flush(tp.topic(), tp.partition()));
        if (!offsets.isEmpty()) {
            try {
                store.put(owner, offsets);
            } catch (io.sluice.core.service.UnavailableException e) {
                // the cluster has no quorum for now (an election on a loaded host): keep the offsets for the
                // next commit, as Kafka Connect does, instead of failing the task; the records are stored
                offsets.forEach(unstored::putIfAbsent);
                LOG.warn(
                        "Offsets of {} not committed now; they go with the next commit: {}", connector, e.getMessage());
            }
        }
        metrics.committed(System.nanoTime() - start);
    }

    /** Adds offsets a failed commit left, unless {@code offsets} has newer ones for the same source partition. */
    private void takeUnstored(Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (var it = unstored.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            offsets.putIfAbsent(e.getKey(), e.getValue());
            it.remove();
        }
    }

    private void awaitInFlight() throws InterruptedException {
        Future<?> commit = inFlight;
        inFlight = null;
        if (commit == null) {
            return;
        }
        try {
            commit.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Offset commit of " + connector + " failed", cause);
        }
    }

    /** Stops the committer thread (after a commit in flight, if any, ends). */
    @Override
    public void close() {
        thread.shutdown();
    }
}
