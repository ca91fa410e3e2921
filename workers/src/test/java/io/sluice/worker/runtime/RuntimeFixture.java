package io.sluice.worker.runtime;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.core.extension.ConnectorExtensions;
import io.sluice.core.extension.ExtensionContext;
import io.sluice.core.plugin.PluginDiscovery;
import io.sluice.core.plugin.PluginScanner;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.secrets.ConfigProviders;
import io.sluice.core.secrets.ConfigReferenceResolver;
import io.sluice.core.status.TaskId;
import io.sluice.core.validation.ConfigPolicy;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.offsets.ConsumerOffsets;
import io.sluice.worker.store.ActiveTopics;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.store.SourceOffsetStore;
import io.sluice.worker.store.StatusStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link ConnectorRuntime} on a real log in a temporary folder, with the hub's classpath plugins
 * (the test connectors among them), for unit tests of the control loop, placement and restarts. The
 * placement is a single worker's or a {@link TestOwnership} the test moves around.
 */
final class RuntimeFixture implements AutoCloseable {

    private static Plugins plugins;

    final Log log;
    final ConfigStore configs;
    final StatusTracker status;
    final ConnectorRuntime runtime;

    private RuntimeFixture(Path dir, Ownership ownership, Duration taskShutdownTimeout) {
        Plugins plugins = plugins();
        log = Log.open(LogOptions.defaults(dir));
        configs = new ConfigStore(CompactedTopicMap.open(log, ConfigStore.TOPIC));
        status = new StatusTracker("worker-1", new StatusStore(CompactedTopicMap.open(log, StatusStore.TOPIC)));
        WorkerProperties properties = new WorkerProperties(
                "worker-1",
                List.of(),
                PluginDiscovery.HYBRID_WARN,
                Duration.ofSeconds(1),
                taskShutdownTimeout,
                1,
                Map.of());
        TaskFactory tasks = new TaskFactory(
                plugins,
                log,
                new SourceOffsetStore(CompactedTopicMap.open(log, SourceOffsetStore.TOPIC)),
                ConsumerOffsets.open(log),
                new SimpleMeterRegistry(),
                properties,
                new ActiveTopics(CompactedTopicMap.open(log, StatusStore.TOPIC + "-topics")));
        runtime = new ConnectorRuntime(
                plugins,
                configs,
                status,
                new ConfigReferenceResolver(ConfigProviders.fromWorkerConfig(Map.of(), plugins)),
                tasks,
                properties.connectorDefaults(),
                taskShutdownTimeout.toMillis(),
                new ConnectorExtensions(plugins, ExtensionContext.none()),
                ownership,
                ConfigPolicy.NONE);
    }

    /** A started runtime. */
    static RuntimeFixture start(Path dir, Ownership ownership, Duration taskShutdownTimeout) {
        RuntimeFixture fixture = new RuntimeFixture(dir, ownership, taskShutdownTimeout);
        fixture.runtime.startAll();
        return fixture;
    }

    static RuntimeFixture singleWorker(Path dir) {
        return start(dir, Ownership.EVERYTHING, Duration.ofSeconds(5));
    }

    private static synchronized Plugins plugins() {
        if (plugins == null) {
            plugins = PluginScanner.scan(List.of(), RuntimeFixture.class.getClassLoader());
        }
        return plugins;
    }

    /** A SequenceSourceConnector config: endless records, slowed down by {@code poll.delay.ms}. */
    static Map<String, String> sequenceSource(int tasks, long pollDelayMs) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.sluice.worker.testconnectors.SequenceSourceConnector");
        config.put("tasks.max", Integer.toString(tasks));
        config.put("topic", "numbers");
        config.put("poll.delay.ms", Long.toString(pollDelayMs));
        return config;
    }

    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            log.close();
        }
    }

    /**
     * A placement the test decides: which connector instances and tasks run on this worker under
     * which epoch, with a record of the starts and releases the runtime reports.
     */
    static final class TestOwnership implements Ownership {

        private final Map<String, Long> connectors = new ConcurrentHashMap<>();
        private final Map<TaskId, Long> tasks = new ConcurrentHashMap<>();
        private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public boolean clustered() {
            return true;
        }

        @Override
        public OptionalLong connectorEpoch(String connector) {
            Long epoch = connectors.get(connector);
            return epoch == null ? OptionalLong.empty() : OptionalLong.of(epoch);
        }

        @Override
        public OptionalLong taskEpoch(TaskId task) {
            Long epoch = tasks.get(task);
            return epoch == null ? OptionalLong.empty() : OptionalLong.of(epoch);
        }

        @Override
        public void started(TaskId task, long epoch) {
            events.add("started " + task + "@" + epoch);
        }

        @Override
        public void released(TaskId task, long epoch) {
            events.add("released " + task + "@" + epoch);
        }

        @Override
        public void onChange(Runnable listener) {
            listeners.add(listener);
        }

        /** Gives this worker the connector's instance and the given tasks, under {@code epoch}. */
        TestOwnership give(String connector, long epoch, int... taskIndexes) {
            connectors.put(connector, epoch);
            for (int i : taskIndexes) {
                tasks.put(new TaskId(connector, i), epoch);
            }
            return this;
        }

        TestOwnership giveTask(TaskId task, long epoch) {
            tasks.put(task, epoch);
            return this;
        }

        TestOwnership takeTask(TaskId task) {
            tasks.remove(task);
            return this;
        }

        /** Tells the runtime that what it owns changed. */
        void changed() {
            listeners.forEach(Runnable::run);
        }

        List<String> events() {
            return new ArrayList<>(events);
        }
    }

    static Map<String, String> with(Map<String, String> config, String key, String value) {
        Map<String, String> out = new HashMap<>(config);
        out.put(key, value);
        return out;
    }
}
