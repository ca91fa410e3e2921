package io.sluice.worker.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.config.SinkConnectorConfig;
import io.sluice.core.convert.ConnectorConverters;
import io.sluice.core.convert.ConverterFactory;
import io.sluice.core.errors.BackoffClock;
import io.sluice.core.errors.ErrorCounters;
import io.sluice.core.errors.ErrorHandlingConfig;
import io.sluice.core.errors.SinkErrantRecordReporter;
import io.sluice.core.errors.StageExecutor;
import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.transform.TransformationChain;
import io.sluice.core.transform.TransformationChainBuilder;
import io.sluice.log.Log;
import io.sluice.log.offsets.ConsumerOffsets;
import io.sluice.worker.store.SourceOffsetStore;
import io.sluice.worker.task.Contexts;
import io.sluice.worker.task.LocalTopicWriter;
import io.sluice.worker.task.SinkOffsets;
import io.sluice.worker.task.SinkTaskRunner;
import io.sluice.worker.task.SourceOffsetCommitter;
import io.sluice.worker.task.SourceTaskRunner;
import io.sluice.worker.task.TaskListener;
import io.sluice.worker.task.TaskMetrics;
import io.sluice.worker.task.TaskRunner;
import io.sluice.worker.task.TaskTopics;
import io.sluice.worker.task.TopicCreator;
import io.sluice.worker.task.TopicWriter;
import java.util.Map;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * Builds a ready-to-run {@link TaskRunner} for a task config: instantiates the task class from its
 * plugin, and wires converters, transforms, error handling (with the dead-letter queue), offsets and
 * metrics. Thread-safe.
 */
final class TaskFactory {

    private final io.sluice.worker.store.ActiveTopics activeTopics;
    private final Plugins plugins;
    private final ConverterFactory converters;
    private final Log log;
    private final TopicWriter writer;
    private final io.sluice.worker.task.TopicReader reader;
    private final SinkOffsets sinkOffsets;
    private final SourceOffsetStore sourceOffsets;
    private final ConsumerOffsets consumerOffsets;
    private final MeterRegistry registry;
    private final WorkerProperties properties;
    private final LogDeadLetterQueue deadLetterQueue;

    TaskFactory(
            Plugins plugins,
            Log log,
            SourceOffsetStore sourceOffsets,
            ConsumerOffsets consumerOffsets,
            MeterRegistry registry,
            WorkerProperties properties,
            io.sluice.worker.store.ActiveTopics activeTopics) {
        this(
                plugins,
                log,
                sourceOffsets,
                consumerOffsets,
                registry,
                properties,
                activeTopics,
                new TaskTopics(
                        new LocalTopicWriter(log),
                        new io.sluice.worker.task.LocalTopicReader(log),
                        SinkOffsets.of(consumerOffsets)));
    }

    TaskFactory(
            Plugins plugins,
            Log log,
            SourceOffsetStore sourceOffsets,
            ConsumerOffsets consumerOffsets,
            MeterRegistry registry,
            WorkerProperties properties,
            io.sluice.worker.store.ActiveTopics activeTopics,
            TaskTopics topics) {
        this.writer = topics.writer();
        this.reader = topics.reader();
        this.sinkOffsets = topics.sinkOffsets();
        this.activeTopics = activeTopics;
        this.plugins = plugins;
        this.converters = new ConverterFactory(plugins, properties.connectorDefaults());
        this.log = log;
        this.sourceOffsets = sourceOffsets;
        this.consumerOffsets = consumerOffsets;
        this.registry = registry;
        this.properties = properties;
        this.deadLetterQueue = new LogDeadLetterQueue(topics.writer());
    }

    /** Loads the task class through its connector's (plugin) class loader. */
    private static Task instantiate(String taskClass, ClassLoader loader) {
        try (LoaderSwap swap = LoaderSwap.to(loader)) {
            Class<?> type = Class.forName(taskClass, true, loader);
            if (!Task.class.isAssignableFrom(type)) {
                throw new IllegalStateException(taskClass + " is not a Kafka Connect Task");
            }
            return (Task) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create task " + taskClass + ": " + e, e);
        }
    }

    /**
     * @param sourceTimeLag whether a source task carries {@code sluice.cdc.lag.seconds} (its connector's
     *     extension asks for it)
     * @param connectorConfig the connector's config with references resolved
     * @param taskConfig the task's config with references resolved
     */
    TaskRunner create(
            TaskId id,
            int taskCount,
            ClassLoader connectorLoader,
            boolean sink,
            boolean sourceTimeLag,
            Map<String, String> connectorConfig,
            Map<String, String> taskConfig,
            TargetState target,
            TaskListener listener) {
        String taskClass = taskConfig.get("task.class");
        if (taskClass == null) {
            throw new IllegalStateException("task config of " + id + " has no task.class");
        }
        Task task = instantiate(taskClass, connectorLoader);
        ErrorCounters counters = new ErrorCounters();
        ErrorHandlingConfig errorConfig = ErrorHandlingConfig.from(connectorConfig);
        StageExecutor errors = new StageExecutor(
                id.connector(),
                id.task(),
                errorConfig,
                StageExecutor.reportersFor(errorConfig, deadLetterQueue, counters),
                counters,
                BackoffClock.SYSTEM);
        TaskMetrics metrics = new TaskMetrics(registry, id, counters);
        ConnectorConverters conv;
        try (LoaderSwap swap = LoaderSwap.toLoaderOf(task)) {
            conv = converters.create(connectorConfig);
        }
        long interval = properties.offsetFlushInterval().toMillis();
        if (sink) {
            TransformationChain<SinkRecord> chain = TransformationChainBuilder.build(connectorConfig, plugins);
            SinkErrantRecordReporter reporter =
                    new SinkErrantRecordReporter(errors, conv.key(), conv.value(), conv.header());
            SinkTaskRunner.Settings settings = new SinkTaskRunner.Settings(
                    connectorConfig.get(SinkConnectorConfig.TOPICS_CONFIG),
                    connectorConfig.get(SinkConnectorConfig.TOPICS_REGEX_CONFIG),
                    taskCount,
                    "connect-" + id.connector(),
                    interval,
                    Integer.parseInt(connectorConfig.getOrDefault("consumer.override.max.poll.records", "500")));
            return new SinkTaskRunner(
                    id,
                    target,
                    listener,
                    (SinkTask) task,
                    taskConfig,
                    settings,
                    conv,
                    chain,
                    errors,
                    reporter,
                    reader,
                    sinkOffsets,
                    metrics,
                    activeTopics);
        }
        TransformationChain<SourceRecord> chain = TransformationChainBuilder.build(connectorConfig, plugins);
        if (sourceTimeLag) {
            metrics.sourceTimeLag(new io.sluice.worker.task.SourceTimeLag());
        }
        return new SourceTaskRunner(
                id,
                target,
                listener,
                (SourceTask) task,
                taskConfig,
                Contexts.sourceTaskContext(
                        taskConfig,
                        Contexts.offsetReader(id.connector(), sourceOffsets),
                        Contexts.pluginMetrics(
                                Map.of("connector", id.connector(), "task", Integer.toString(id.task())))),
                conv,
                chain,
                errors,
                writer,
                new TopicCreator(writer, connectorConfig, properties.topicDefaultPartitions(), activeTopics),
                new SourceOffsetCommitter(id.connector(), sourceOffsets, interval, metrics, writer),
                metrics);
    }
}
