package io.sluice.worker.task;

import io.sluice.core.convert.ConnectorConverters;
import io.sluice.core.errors.OriginalRecord;
import io.sluice.core.errors.Outcome;
import io.sluice.core.errors.RawHeader;
import io.sluice.core.errors.SinkErrantRecordReporter;
import io.sluice.core.errors.Stage;
import io.sluice.core.errors.StageExecutor;
import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.transform.TransformationChain;
import io.sluice.log.StoredRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * Runs a {@link SinkTask}: fetch from the log → converters → transforms → {@code put}; every
 * {@code offset.flush.interval.ms} (or on {@code requestCommit}) {@code preCommit} decides which
 * offsets are safe and they are committed to the consumer-offsets topic. A {@link RetriableException}
 * from {@code put} redelivers the same records after the context's timeout. After a crash the task
 * resumes from the last committed offsets, so records delivered since then come again.
 */
public final class SinkTaskRunner extends TaskRunner {

    private static final Duration IDLE_WAIT = Duration.ofMillis(500);
    private static final long REFRESH_MS = 5_000;
    private static final long LAG_MEASURE_MS = 1_000;

    private final io.sluice.worker.store.ActiveTopics activeTopics;
    private final SinkTask task;
    private final Map<String, String> taskConfig;
    private final SinkControl control;
    private final SinkSubscription subscription;
    private final ConnectorConverters converters;
    private final TransformationChain<SinkRecord> transforms;
    private final StageExecutor errors;
    private final SinkErrantRecordReporter reporter;
    private final TopicReader reader;
    private final SinkOffsets consumerOffsets;
    private final String group;
    private final TaskMetrics metrics;
    private final SinkFetcher fetcher;
    private final long commitIntervalMs;
    private final Map<TopicPartition, Long> delivered = new HashMap<>();
    private List<SinkRecord> retry;
    private Map<TopicPartition, Long> retryPositions;
    private long retryAt;
    private long nextCommit;
    private long nextRefresh;
    private final SinkLag sinkLag = new SinkLag();
    private long nextLagMeasure;

    public SinkTaskRunner(
            TaskId id,
            TargetState initialTarget,
            TaskListener listener,
            SinkTask task,
            Map<String, String> taskConfig,
            Settings settings,
            ConnectorConverters converters,
            TransformationChain<SinkRecord> transforms,
            StageExecutor errors,
            SinkErrantRecordReporter reporter,
            TopicReader reader,
            SinkOffsets consumerOffsets,
            TaskMetrics metrics,
            io.sluice.worker.store.ActiveTopics activeTopics) {
        super(id, initialTarget, listener);
        this.activeTopics = activeTopics;
        this.task = task;
        this.taskConfig = taskConfig;
        this.control = new SinkControl(
                taskConfig,
                reporter,
                Contexts.pluginMetrics(Map.of("connector", id.connector(), "task", Integer.toString(id.task()))));
        this.subscription =
                new SinkSubscription(settings.topics(), settings.topicsRegex(), id.task(), settings.taskCount());
        this.converters = converters;
        this.transforms = transforms;
        this.errors = errors;
        this.reporter = reporter;
        this.reader = reader;
        this.consumerOffsets = consumerOffsets;
        this.group = settings.group();
        this.metrics = metrics;
        this.commitIntervalMs = settings.commitIntervalMs();
        this.fetcher = new SinkFetcher(reader, settings.maxPollRecords(), this::convert);
        metrics.lag(sinkLag);
    }

    /** Settings of a sink task beyond its own config. */
    public record Settings(
            String topics,
            String topicsRegex,
            int taskCount,
            String group,
            long commitIntervalMs,
            int maxPollRecords) {}

    @Override
    protected void start() {
        try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
            task.initialize(control);
            task.start(taskConfig);
        }
        refreshAssignment();
        nextCommit = System.currentTimeMillis() + commitIntervalMs;
    }

    @Override
    protected void iterate() throws Exception {
        applyOffsetResets();
        if (retry != null) {
            long wait = retryAt - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(Math.min(wait, 200));
                if (System.currentTimeMillis() >= nextLagMeasure) {
                    measureLag(System.currentTimeMillis());
                }
                return;
            }
            deliver(retry, retryPositions);
        } else {
            long seen = reader.version();
            List<SinkRecord> batch = fetcher.next(control.assignment, control.paused);
            Map<TopicPartition, Long> positions = fetcher.takeConsumed();
            if (!batch.isEmpty()) {
                deliver(batch, positions);
            } else if (!positions.isEmpty()) {
                // everything fetched was filtered out or dead-lettered: nothing to put, but it is done
                delivered.putAll(positions);
            } else {
                reader.awaitChange(seen, IDLE_WAIT);
                // as Kafka Connect does: put with nothing, so a task can act on time (close an object on
                // schedule) and report that it cannot make progress even when no records come
                deliver(List.of(), Map.of());
            }
        }
        long now = System.currentTimeMillis();
        if (control.commitRequested || now >= nextCommit) {
            commit();
        }
        if (now >= nextRefresh) {
            refreshAssignment();
        }
        if (now >= nextLagMeasure) {
            measureLag(now);
        }
    }

    private void measureLag(long now) {
        nextLagMeasure = now + LAG_MEASURE_MS;

        sinkLag.measure(
                control.assignment,
                new SinkLag.Ends() {
                    @Override
                    public long end(TopicPartition tp) {
                        try {
                            long end = reader.endOffset(tp.topic(), tp.partition());
                            return end >= 0 ? end : fetcher.highWatermark(tp).orElse(-1L);
                        } catch (RuntimeException e) {
                            return fetcher.highWatermark(tp).orElse(-1L); // partition offline: last known
                        }
                    }

                    @Override
                    public long committed(TopicPartition tp) {
                        return consumerOffsets
                                .fetch(group, new io.sluice.log.TopicPartition(tp.topic(), tp.partition()))
                                .orElse(0L);
                    }
                },
                now);
        metrics.partitionLagGauges();
    }

    /** Puts {@code batch}; once it is accepted, the fetched records up to {@code positions} count as delivered. */
    private void deliver(List<SinkRecord> batch, Map<TopicPartition, Long> positions) {
        try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
            task.put(new ArrayList<>(batch));
            retry = null;
            retryPositions = null;
        } catch (RetriableException e) {
            retry = batch;
            retryPositions = positions;
            retryAt = System.currentTimeMillis() + (control.timeoutMs > 0 ? control.timeoutMs : 100);
            retryingAfter(e);
            return;
        }
        progressed();
        if (!batch.isEmpty()) {
            metrics.put(batch.size());
        }
        delivered.putAll(positions);
        positions.keySet().forEach(tp -> activeTopics.record(id.connector(), tp.topic()));
    }

    private SinkRecord convert(TopicPartition tp, StoredRecord stored) throws InterruptedException {
        sinkLag.read(tp, stored.offset(), stored.timestamp());
        List<RawHeader> rawHeaders = new ArrayList<>();
        stored.headers().forEach(h -> rawHeaders.add(new RawHeader(h.key(), h.value())));
        OriginalRecord raw = new OriginalRecord(
                tp.topic(), tp.partition(), stored.offset(), stored.key(), stored.value(), rawHeaders);
        Outcome<SchemaAndValue> key = errors.execute(
                raw,
                Stage.KEY_CONVERTER,
                converters.keyClass(),
                () -> converters.key().toConnectData(tp.topic(), stored.key()));
        if (key.failed()) {
            return null;
        }
        Outcome<SchemaAndValue> value = errors.execute(
                raw,
                Stage.VALUE_CONVERTER,
                converters.valueClass(),
                () -> converters.value().toConnectData(tp.topic(), stored.value()));
        if (value.failed()) {
            return null;
        }
        Outcome<Headers> headers = errors.execute(
                raw,
                Stage.HEADER_CONVERTER,
                converters.header().getClass(),
                () -> RecordConversions.toConnectHeaders(tp.topic(), stored.headers(), converters.header()));
        if (headers.failed()) {
            return null;
        }
        SinkRecord record = new SinkRecord(
                tp.topic(),
                tp.partition(),
                key.value().schema(),
                key.value().value(),
                value.value().schema(),
                value.value().value(),
                stored.offset(),
                stored.timestamp(),
                TimestampType.CREATE_TIME,
                headers.value());
        Outcome<SinkRecord> transformed =
                errors.execute(raw, Stage.TRANSFORMATION, TransformationChain.class, () -> transforms.apply(record));
        return transformed.failed() ? null : transformed.value();
    }

    private void applyOffsetResets() {
        if (control.offsetResets.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> resets = new HashMap<>(control.offsetResets);
        control.offsetResets.keySet().removeAll(resets.keySet());
        resets.forEach((tp, offset) -> {
            if (control.assignment.contains(tp)) {
                fetcher.seek(tp, offset);
                retry = null;
            }
        });
    }

    private void refreshAssignment() {
        Set<TopicPartition> now = subscription.resolve(reader);
        Set<TopicPartition> before = control.assignment;
        Set<TopicPartition> added = new HashSet<>(now);
        added.removeAll(before);
        Set<TopicPartition> removed = new HashSet<>(before);
        removed.removeAll(now);
        if (!removed.isEmpty()) {
            commit();
            try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
                task.close(removed);
            }
            removed.forEach(tp -> {
                fetcher.forget(tp);
                sinkLag.forget(tp);
                delivered.remove(tp);
                control.paused.remove(tp);
            });
        }
        control.assignment = Set.copyOf(now);
        if (!added.isEmpty()) {
            for (TopicPartition tp : added) {
                long start = consumerOffsets
                        .fetch(group, new io.sluice.log.TopicPartition(tp.topic(), tp.partition()))
                        .orElse(-1L);
                fetcher.seek(tp, start);
            }
            try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
                task.open(added);
            }
        }
        nextRefresh = System.currentTimeMillis() + REFRESH_MS;
    }

    /** Asks the task which delivered offsets are safe, then stores them. */
    private void commit() {
        control.commitRequested = false;
        nextCommit = System.currentTimeMillis() + commitIntervalMs;
        if (delivered.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            reporter.awaitReported(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("errant records were not reported within 30 s; offsets not committed", e);
        }
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        delivered.forEach((tp, o) -> current.put(tp, new OffsetAndMetadata(o)));
        Map<TopicPartition, OffsetAndMetadata> safe;
        try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
            safe = task.preCommit(current);
        }
        Map<io.sluice.log.TopicPartition, Long> toStore = new HashMap<>();
        if (safe != null) {
            safe.forEach((tp, o) -> {
                if (control.assignment.contains(tp) && o != null) {
                    toStore.put(new io.sluice.log.TopicPartition(tp.topic(), tp.partition()), o.offset());
                }
            });
        }
        try {
            consumerOffsets.commit(group, toStore, writer());
        } catch (io.sluice.core.service.UnavailableException e) {
            // no quorum for now (an election on a loaded host): what was delivered stays delivered and is
            // committed next time, as in Kafka Connect, instead of failing the task
            org.slf4j.LoggerFactory.getLogger(SinkTaskRunner.class)
                    .warn("Offsets of {} not committed now; they go with the next commit: {}", id, e.getMessage());
            return;
        }
        metrics.committed(System.nanoTime() - start);
        long now = System.currentTimeMillis();
        toStore.forEach((tp, offset) ->
                sinkLag.committed(new TopicPartition(tp.topic(), tp.partition()), offset, now, metrics::endToEnd));
    }

    /** How far this task is behind, per partition (last measurement, about every second). */
    SinkLag sinkLag() {
        return sinkLag;
    }

    /** A paused task commits what it delivered, so a stop or a move while paused repeats nothing. */
    @Override
    protected void onPause() {
        commit();
    }

    @Override
    protected void shutdown(boolean clean) {
        try {
            if (clean) {
                commit();
            }
            try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
                task.close(control.assignment);
            }
        } finally {
            try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
                task.stop();
            }
            transforms.close();
            converters.close();
            metrics.close();
            control.closeMetrics();
        }
    }
}
