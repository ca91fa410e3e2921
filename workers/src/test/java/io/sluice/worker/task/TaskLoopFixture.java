package io.sluice.worker.task;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.core.convert.ConnectorConverters;
import io.sluice.core.errors.BackoffClock;
import io.sluice.core.errors.ErrorCounters;
import io.sluice.core.errors.ErrorHandlingConfig;
import io.sluice.core.errors.SinkErrantRecordReporter;
import io.sluice.core.errors.StageExecutor;
import io.sluice.core.status.Retrying;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.transform.TransformationChain;
import io.sluice.log.AppendResult;
import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.Record;
import io.sluice.log.StoredRecord;
import io.sluice.log.offsets.ConsumerOffsets;
import io.sluice.worker.store.ActiveTopics;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.SourceOffsetStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.storage.StringConverter;

/**
 * Real collaborators for the task loops over a local {@link Log} in a temporary folder: the stores,
 * string converters, error handling from the connector's {@code errors.*} settings, and a writer that
 * records what reached the log (and can be told to fail). Builds runners as the worker's factory does.
 */
final class TaskLoopFixture implements AutoCloseable {

    final Log log;
    final CompactedTopicMap offsetsTopic;
    final SourceOffsetStore sourceOffsets;
    final ConsumerOffsets consumerOffsets;
    final ActiveTopics activeTopics;
    final RecordingListener listener = new RecordingListener();
    final ObservedWriter writer;
    final List<AutoCloseable> closing = new ArrayList<>();

    TaskLoopFixture(Log log) {
        this.log = log;
        this.offsetsTopic = CompactedTopicMap.open(log, SourceOffsetStore.TOPIC);
        this.sourceOffsets = new SourceOffsetStore(offsetsTopic);
        this.consumerOffsets = ConsumerOffsets.open(log);
        this.activeTopics = new ActiveTopics(CompactedTopicMap.open(log, "__sluice_active_topics"));
        this.writer = new ObservedWriter(new LocalTopicWriter(log), log);
    }

    static ConnectorConverters stringConverters() {
        StringConverter key = new StringConverter();
        key.configure(Map.of(), true);
        StringConverter value = new StringConverter();
        value.configure(Map.of(), false);
        return new ConnectorConverters(key, value, new SimpleHeaderConverter());
    }

    /** String keys, schemaless JSON values (a connector setting {@code value.converter} asks for it). */
    static ConnectorConverters schemalessJsonValues() {
        StringConverter key = new StringConverter();
        key.configure(Map.of(), true);
        org.apache.kafka.connect.json.JsonConverter value = new org.apache.kafka.connect.json.JsonConverter();
        value.configure(Map.of("schemas.enable", "false"), false);
        return new ConnectorConverters(key, value, new SimpleHeaderConverter());
    }

    StageExecutor errors(TaskId id, Map<String, String> connectorConfig, ErrorCounters counters) {
        ErrorHandlingConfig config = ErrorHandlingConfig.from(connectorConfig);
        return new StageExecutor(
                id.connector(),
                id.task(),
                config,
                StageExecutor.reportersFor(config, null, counters),
                counters,
                BackoffClock.SYSTEM);
    }

    SourceTaskRunner source(
            TaskId id,
            SourceTask task,
            Map<String, String> connectorConfig,
            long commitIntervalMs,
            TargetState target) {
        ErrorCounters counters = new ErrorCounters();
        TaskMetrics metrics = new TaskMetrics(new SimpleMeterRegistry(), id, counters);
        return new SourceTaskRunner(
                id,
                target,
                listener,
                task,
                connectorConfig,
                Contexts.sourceTaskContext(
                        connectorConfig,
                        Contexts.offsetReader(id.connector(), sourceOffsets),
                        Contexts.pluginMetrics(Map.of("connector", id.connector()))),
                stringConverters(),
                TransformationChain.<SourceRecord>empty(),
                errors(id, connectorConfig, counters),
                writer,
                new TopicCreator(writer, connectorConfig, 1, activeTopics),
                new SourceOffsetCommitter(id.connector(), sourceOffsets, commitIntervalMs, metrics, writer),
                metrics);
    }

    SinkTaskRunner sink(
            TaskId id,
            SinkTask task,
            Map<String, String> connectorConfig,
            SinkOffsets offsets,
            long commitIntervalMs,
            TargetState target) {
        ErrorCounters counters = new ErrorCounters();
        TaskMetrics metrics = new TaskMetrics(new SimpleMeterRegistry(), id, counters);
        StageExecutor errors = errors(id, connectorConfig, counters);
        ConnectorConverters converters =
                connectorConfig.containsKey("value.converter") ? schemalessJsonValues() : stringConverters();
        return new SinkTaskRunner(
                id,
                target,
                listener,
                task,
                connectorConfig,
                new SinkTaskRunner.Settings(
                        connectorConfig.get("topics"), null, 1, "connect-" + id.connector(), commitIntervalMs, 500),
                converters,
                TransformationChain.<SinkRecord>empty(),
                errors,
                new SinkErrantRecordReporter(errors, converters.key(), converters.value(), converters.header()),
                new LocalTopicReader(log),
                offsets,
                metrics,
                activeTopics);
    }

    /** Starts {@code runner} on a thread of its own, as the runtime does. */
    Thread start(TaskRunner runner) {
        Thread t = new Thread(runner, "task-" + runner.id());
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Every record of {@code topic}'s partition 0 as {@code key=value} text, in offset order. */
    List<StoredRecord> records(String topic) {
        List<StoredRecord> out = new ArrayList<>();
        if (log.topicConfig(topic).isEmpty()) {
            return out;
        }
        long offset = 0;
        while (offset < log.partition(topic, 0).highWatermark()) {
            FetchResult r = log.partition(topic, 0).fetch(offset, 16 << 20);
            for (StoredRecord s : r.records()) {
                if (s.offset() >= offset) {
                    out.add(s);
                }
            }
            offset = r.nextOffset();
        }
        return out;
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        log.close();
    }

    /** What a task reported, in order. Thread-safe. */
    static final class RecordingListener implements TaskListener {
        final List<State> states = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final List<Retrying> retrying = new CopyOnWriteArrayList<>();

        @Override
        public void onStateChange(TaskRunner runner, State state) {
            states.add(state);
        }

        @Override
        public void onFailure(TaskRunner runner, Throwable cause) {
            failures.add(cause);
        }

        @Override
        public void onRetrying(TaskRunner runner, Retrying now) {
            retrying.add(now);
        }
    }

    /**
     * The worker's local writer, noting each append and flush (in order, with the log end after it) and
     * failing the next appends when told to, as a replicated partition does while it elects a leader.
     */
    static final class ObservedWriter implements TopicWriter {
        final TopicWriter inner;
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        final AtomicInteger failNextAppends = new AtomicInteger();
        final AtomicInteger appends = new AtomicInteger();
        /** Per topic, the log end a flush covered (read before it started). */
        final Map<String, Long> flushedEnd = new java.util.concurrent.ConcurrentHashMap<>();

        private final Log log;

        ObservedWriter(TopicWriter inner, Log log) {
            this.inner = inner;
            this.log = log;
        }

        @Override
        public int ensure(String topic, Supplier<Map<String, String>> settings) {
            return inner.ensure(topic, settings);
        }

        @Override
        public AppendResult append(String topic, int partition, List<Record> records, long producerId, long epoch) {
            if (failNextAppends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                events.add("append refused");
                throw new io.sluice.log.replication.NotReplicatedException("no leader for " + topic + "-" + partition);
            }
            AppendResult result = inner.append(topic, partition, records, producerId, epoch);
            appends.incrementAndGet();
            events.add("append " + records.size());
            return result;
        }

        @Override
        public void flush(String topic, int partition) {
            long end = log.partition(topic, partition).highWatermark();
            inner.flush(topic, partition);
            flushedEnd.merge(topic, end, Math::max);
            events.add("flush " + topic);
        }
    }
}
