package io.sluice.worker.task;

import io.sluice.core.convert.ConnectorConverters;
import io.sluice.core.errors.OriginalRecord;
import io.sluice.core.errors.Outcome;
import io.sluice.core.errors.Stage;
import io.sluice.core.errors.StageExecutor;
import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.transform.TransformationChain;
import io.sluice.log.AppendResult;
import io.sluice.log.Record;
import io.sluice.log.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;

/**
 * Runs a {@link SourceTask}: {@code poll} → transforms → converters → append to the log (partition by
 * key hash) → {@code commitRecord}; every {@code offset.flush.interval.ms} the partitions written to
 * are forced to disk, then the source offsets of those records are stored, then {@code commit()} is
 * called, on the {@link SourceOffsetCommitter}'s thread so that polling goes on meanwhile. So a stored offset never runs ahead of durable records: after a crash the task resumes at
 * the last stored offset and may repeat at most one flush interval of records, never lose one.
 */
public final class SourceTaskRunner extends TaskRunner {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SourceTaskRunner.class);

    private static final long RETRY_BACKOFF_MIN_MS = 100;
    private static final long RETRY_BACKOFF_MAX_MS = 2_000;
    /**
     * How long a graceful stop keeps polling what the task already produced before calling its
     * {@code stop()}: Debezium, for one, holds up to {@code max.queue.size} records that a stop would
     * drop, and when they end a snapshot, dropping them means a whole new snapshot on restart.
     */
    static final long DRAIN_MS = 2_000;

    private final SourceTask task;
    private final Map<String, String> taskConfig;
    private final SourceTaskContext context;
    private final ConnectorConverters converters;
    private final TransformationChain<SourceRecord> transforms;
    private final StageExecutor errors;
    private final TopicWriter writer;
    private final long producerId;
    private final TopicCreator topics;
    private final SourceOffsetCommitter offsets;
    private final TaskMetrics metrics;
    private final RecordPartitioner partitioner = new RecordPartitioner();
    private final java.util.concurrent.atomic.AtomicBoolean taskStopped =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean stopScheduled =
            new java.util.concurrent.atomic.AtomicBoolean();
    private List<SourceRecord> unsent;

    public SourceTaskRunner(
            TaskId id,
            TargetState initialTarget,
            TaskListener listener,
            SourceTask task,
            Map<String, String> taskConfig,
            SourceTaskContext context,
            ConnectorConverters converters,
            TransformationChain<SourceRecord> transforms,
            StageExecutor errors,
            TopicWriter writer,
            TopicCreator topics,
            SourceOffsetCommitter offsets,
            TaskMetrics metrics) {
        super(id, initialTarget, listener);
        this.task = task;
        this.taskConfig = taskConfig;
        this.context = context;
        this.converters = converters;
        this.transforms = transforms;
        this.errors = errors;
        this.writer = writer;
        this.producerId = TopicWriter.producerId(id.connector(), id.task());
        this.topics = topics;
        this.offsets = offsets;
        this.metrics = metrics;
    }

    @Override
    protected void start() {
        try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
            task.initialize(context);
            task.start(taskConfig);
        }
    }

    @Override
    protected void iterate() throws Exception {
        if (unsent == null) {
            try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
                unsent = task.poll();
            } catch (RetriableException | org.apache.kafka.common.errors.RetriableException e) {
                // as Kafka Connect does: the task asks to be polled again (Debezium reconnects this way)
                LOG.warn("Task {} could not poll and will be polled again: {}", id, e.toString());
                retryingAfter(e);
                unsent = null;
                commitIfDue();
                return;
            }
            if (unsent != null) {
                metrics.polled(unsent.size());
            }
        }
        if (unsent != null && !unsent.isEmpty()) {
            send(unsent);
            metrics.handed(unsent);
        } else {
            metrics.idle();
        }
        progressed();
        unsent = null;
        commitIfDue();
    }

    private void commitIfDue() throws InterruptedException {
        if (offsets.due()) {
            offsets.commitInBackground(writer(), this::commitTask);
        }
    }

    private void send(List<SourceRecord> records) throws Exception {
        Map<TopicPartition, List<Pending>> byPartition = new LinkedHashMap<>();
        for (SourceRecord original : records) {
            Pending p = retrying("prepare a record for " + original.topic(), () -> prepare(original));
            if (p == null) {
                commitRecord(original, null);
                continue;
            }
            byPartition.computeIfAbsent(p.partition, k -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<TopicPartition, List<Pending>> e : byPartition.entrySet()) {
            List<Record> batch = new ArrayList<>(e.getValue().size());
            e.getValue().forEach(p -> batch.add(p.record));
            long start = System.nanoTime();
            TopicPartition tp = e.getKey();
            AppendResult result = retrying(
                    "append to " + tp, () -> writer.append(tp.topic(), tp.partition(), batch, producerId, epoch()));
            metrics.appended(batch.size(), System.nanoTime() - start);
            offsets.touched(e.getKey());
            long offset = result.baseOffset();
            for (Pending p : e.getValue()) {
                commitRecord(
                        p.original,
                        new RecordMetadata(
                                new org.apache.kafka.common.TopicPartition(
                                        p.topic, e.getKey().partition()),
                                offset++,
                                0,
                                p.record.timestamp(),
                                -1,
                                -1));
            }
        }
        // Offsets in poll order, once every record is appended: records of one source partition may
        // have gone to several log partitions, and the newest offset must win.
        for (SourceRecord original : records) {
            offsets.record(original.sourcePartition(), original.sourceOffset());
        }
    }

    /**
     * Runs {@code action} (an append, or preparing a record, which creates its topic on first use),
     * trying again with backoff while the log cannot take it for a transient reason (a replicated
     * partition electing a leader after a worker died, a majority briefly unreachable), so the task
     * keeps RUNNING instead of failing and being restarted. A pause asked meanwhile is honoured
     * (PAUSED is reported and the task parks) and a stop ends the retries. A retried append that had
     * in fact been stored is stored twice (at-least-once, as a producer retry in Kafka); a fenced
     * append is not retried.
     */
    private <T> T retrying(String what, java.util.concurrent.Callable<T> action) throws Exception {
        long backoff = RETRY_BACKOFF_MIN_MS;
        while (true) {
            try {
                return action.call();
            } catch (io.sluice.log.replication.ReplicationException e) {
                if (isStopping()) {
                    throw new InterruptedException("stopped while trying to " + what + ": " + e.getMessage());
                }
                LOG.warn("Task {} could not {}; trying again in {} ms: {}", id, what, backoff, e.getMessage());
                retryingAfter(e);
                long until = System.currentTimeMillis() + backoff;
                while (System.currentTimeMillis() < until) {
                    if (!holdWhilePaused()) {
                        throw new InterruptedException("stopped while trying to " + what);
                    }
                    Thread.sleep(Math.min(50, backoff));
                }
                backoff = Math.min(backoff * 2, RETRY_BACKOFF_MAX_MS);
            }
        }
    }

    private record Pending(SourceRecord original, String topic, TopicPartition partition, Record record) {}

    /** Transforms and serialises one record; null when a transform dropped it or an error was tolerated. */
    private Pending prepare(SourceRecord original) throws Exception {
        OriginalRecord raw =
                new OriginalRecord(original.topic(), original.kafkaPartition(), null, null, null, List.of());
        Outcome<SourceRecord> transformed =
                errors.execute(raw, Stage.TRANSFORMATION, TransformationChain.class, () -> transforms.apply(original));
        SourceRecord r = transformed.value();
        if (transformed.failed() || r == null) {
            return null;
        }
        Outcome<byte[]> key = errors.execute(
                raw,
                Stage.KEY_CONVERTER,
                converters.keyClass(),
                () -> converters.key().fromConnectData(r.topic(), r.keySchema(), r.key()));
        if (key.failed()) {
            return null;
        }
        Outcome<byte[]> value = errors.execute(
                raw,
                Stage.VALUE_CONVERTER,
                converters.valueClass(),
                () -> converters.value().fromConnectData(r.topic(), r.valueSchema(), r.value()));
        if (value.failed()) {
            return null;
        }
        Outcome<List<io.sluice.log.Header>> headers = errors.execute(
                raw,
                Stage.HEADER_CONVERTER,
                converters.header().getClass(),
                () -> RecordConversions.fromConnectHeaders(r, converters.header()));
        if (headers.failed()) {
            return null;
        }
        int partitions = topics.ensure(r.topic());
        int p = partitioner.partition(r.kafkaPartition(), key.value(), partitions);
        long ts = r.timestamp() != null ? r.timestamp() : System.currentTimeMillis();
        Record record = new Record(key.value(), value.value(), headers.value(), ts);
        return new Pending(original, r.topic(), new TopicPartition(r.topic(), p), record);
    }

    private void commitRecord(SourceRecord record, RecordMetadata metadata) throws InterruptedException {
        try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
            task.commitRecord(record, metadata);
        }
    }

    private void commitOffsets() throws InterruptedException {
        offsets.commit(writer());
        commitTask();
    }

    /** {@link SourceTask#commit()}: on the committer's thread while running (the SPI allows it), else this one. */
    private void commitTask() {
        try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
            task.commit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A paused task commits what it appended, so a stop or a move while paused repeats nothing. */
    @Override
    protected void onPause() throws InterruptedException {
        commitOffsets();
    }

    @Override
    protected void shutdown(boolean clean) throws Exception {
        try {
            if (clean) {
                drain();
            }
            stopTask();
            if (clean) {
                commitOffsets();
            }
            transforms.close();
            converters.close();
        } finally {
            offsets.close();
            // a restarted task registers its meters afresh; stale ones would shadow them
            metrics.close();
        }
    }

    /**
     * Before a graceful stop, appends what the task has ready (polls until one returns nothing, for at
     * most {@link #DRAIN_MS}), so its offsets are committed with the rest. A failure here only ends
     * the drain: what was appended before it is still committed.
     */
    private void drain() {
        long until = System.currentTimeMillis() + DRAIN_MS;
        try {
            while (!taskStopped.get() && System.currentTimeMillis() < until) {
                List<SourceRecord> ready;
                try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
                    ready = task.poll();
                }
                if (ready == null || ready.isEmpty()) {
                    return;
                }
                metrics.polled(ready.size());
                send(ready);
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Task {} stopped draining its ready records: {}", id, e.toString());
        }
    }

    /**
     * On a stop request, calls {@link SourceTask#stop()} from another thread once the drain time has
     * passed, as the SPI intends: it is how a task unblocks a {@code poll()} that waits for data. The
     * task thread calls it earlier when its drain ends first.
     */
    @Override
    protected void wakeUp() {
        if (isStopping() && stopScheduled.compareAndSet(false, true)) {
            java.util.concurrent.CompletableFuture.delayedExecutor(DRAIN_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(this::stopTask);
        }
    }

    private void stopTask() {
        if (taskStopped.compareAndSet(false, true)) {
            try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
                task.stop();
            }
        }
    }
}
