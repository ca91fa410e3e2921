package io.sluice.worker.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.plugin.PluginScanner;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.secrets.ConfigProviders;
import io.sluice.core.secrets.ConfigReferenceResolver;
import io.sluice.log.Log;
import io.sluice.log.offsets.ConsumerOffsets;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.store.SharedTopics;
import io.sluice.worker.store.SourceOffsetStore;
import io.sluice.worker.store.StatusStore;
import io.sluice.worker.task.LocalTopicWriter;
import io.sluice.worker.task.SinkOffsets;
import io.sluice.worker.task.TaskTopics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the connector runtime of a worker: plugins, stores on the log, and the runtime itself. */
@Configuration(proxyBeanMethods = false)
public class RuntimeConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeConfiguration.class);

    @Bean(destroyMethod = "close")
    public Plugins plugins(WorkerProperties properties) {
        List<Path> existing =
                properties.pluginPath().stream().filter(Files::isDirectory).toList();
        Plugins plugins =
                PluginScanner.scan(existing, properties.pluginDiscovery(), RuntimeConfiguration.class.getClassLoader());
        LOG.info(
                "Loaded {} plugins (plugin path: {}, plugin.discovery={})",
                plugins.list().size(),
                existing,
                properties.pluginDiscovery());
        return plugins;
    }

    @Bean(destroyMethod = "close")
    public ConfigProviders configProviders(WorkerProperties properties, Plugins plugins) {
        return ConfigProviders.fromWorkerConfig(properties.connectorDefaults(), plugins);
    }

    @Bean
    public ConsumerOffsets consumerOffsets(Log log) {
        return ConsumerOffsets.open(log);
    }

    @Bean
    public SourceOffsetStore sourceOffsetStore(Log log, ObjectProvider<SharedTopics> cluster) {
        SharedTopics shared = cluster.getIfAvailable();
        if (shared != null && shared.offsets() != null) {
            return new SourceOffsetStore(shared.offsets());
        }
        return new SourceOffsetStore(CompactedTopicMap.open(log, SourceOffsetStore.TOPIC));
    }

    @Bean(destroyMethod = "close")
    public ConnectorRuntime connectorRuntime(
            WorkerProperties properties,
            io.sluice.worker.store.ActiveTopics activeTopics,
            Plugins plugins,
            ConfigProviders providers,
            Log log,
            SourceOffsetStore sourceOffsets,
            ConsumerOffsets consumerOffsets,
            MeterRegistry registry,
            ObjectProvider<SharedTopics> cluster,
            ObjectProvider<Ownership> clusterOwnership,
            ObjectProvider<TaskTopics> clusterTopics,
            io.sluice.core.validation.ConfigPolicy configPolicy,
            io.sluice.worker.store.StoredSecrets storedSecrets,
            @Value("${server.port:8083}") int port) {
        String workerId = workerId(properties, port);
        SharedTopics shared = cluster.getIfAvailable(() -> new SharedTopics(
                CompactedTopicMap.open(log, ConfigStore.TOPIC), CompactedTopicMap.open(log, StatusStore.TOPIC)));
        StatusTracker status =
                new StatusTracker(workerId, new StatusStore(shared.status()), new TaskStateMeters(registry));
        ConfigStore configs = new ConfigStore(shared.configs(), storedSecrets);
        TaskFactory tasks = new TaskFactory(
                plugins,
                log,
                sourceOffsets,
                consumerOffsets,
                registry,
                properties,
                activeTopics,
                clusterTopics.getIfAvailable(() -> new TaskTopics(
                        new LocalTopicWriter(log),
                        new io.sluice.worker.task.LocalTopicReader(log),
                        SinkOffsets.of(consumerOffsets))));
        MeterGauges gauges = new MeterGauges(registry);
        ConnectorRuntime runtime = new ConnectorRuntime(
                plugins,
                configs,
                status,
                new ConfigReferenceResolver(providers),
                tasks,
                properties.connectorDefaults(),
                properties.taskShutdownTimeout().toMillis(),
                new io.sluice.core.extension.ConnectorExtensions(plugins, () -> gauges),
                clusterOwnership.getIfAvailable(() -> Ownership.EVERYTHING),
                configPolicy);
        runtime.startAll();
        return runtime;
    }

    /** Log levels set with {@code scope=cluster}, in the shared config topic beside the connector configs. */
    @Bean
    public io.sluice.rest.admin.SharedLogLevels sharedLogLevels(ConnectorRuntime runtime) {
        return new StoredLogLevels(runtime.configStore());
    }

    /** Connectors' active topics: in a cluster in the replicated status topic, else in the worker's own log. */
    @Bean
    public io.sluice.worker.store.ActiveTopics activeTopics(
            Log log, ObjectProvider<io.sluice.worker.store.SharedTopics> shared) {
        io.sluice.worker.store.SharedTopics cluster = shared.getIfAvailable();
        return new io.sluice.worker.store.ActiveTopics(
                cluster != null ? cluster.status() : CompactedTopicMap.open(log, StatusStore.TOPIC + "-topics"));
    }

    @Bean
    public WorkerConnectorService connectorService(
            ConnectorRuntime runtime,
            Plugins plugins,
            SourceOffsetStore sourceOffsets,
            ConsumerOffsets consumerOffsets,
            ObjectProvider<TaskTopics> clusterTopics,
            Log log,
            io.sluice.worker.store.ActiveTopics activeTopics) {
        TaskTopics cluster = clusterTopics.getIfAvailable();
        SinkOffsets sinkOffsets = cluster != null ? cluster.sinkOffsets() : SinkOffsets.of(consumerOffsets);
        return new WorkerConnectorService(runtime, plugins, sourceOffsets, sinkOffsets, log, activeTopics);
    }

    /** This worker's id in statuses: {@code sluice.worker-id}, else {@code <host>:<server.port>}. */
    public static String workerId(WorkerProperties properties, int port) {
        return properties.workerId().isBlank() ? hostName() + ":" + port : properties.workerId();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
