package io.sluice.worker.runtime;

import io.sluice.core.plugin.PluginDescriptor;
import io.sluice.core.plugin.PluginNotFoundException;
import io.sluice.core.plugin.PluginProblem;
import io.sluice.core.plugin.PluginType;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.secrets.ConfigRedactor;
import io.sluice.core.service.BadRequestException;
import io.sluice.core.service.ConnectorInfo;
import io.sluice.core.service.ConnectorOffsets;
import io.sluice.core.service.ConnectorService;
import io.sluice.core.service.ConnectorStateInfo;
import io.sluice.core.service.NotFoundException;
import io.sluice.core.service.PutConfigResult;
import io.sluice.core.service.RestartRequest;
import io.sluice.core.service.TaskInfo;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.status.TaskStatus;
import io.sluice.core.validation.ConfigDefinitions;
import io.sluice.core.validation.ConfigInfos;
import io.sluice.core.validation.ConfigKeyInfo;
import io.sluice.log.Log;
import io.sluice.worker.store.SourceOffsetStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.health.ConnectorType;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The worker's {@link ConnectorService}: what the REST API calls. Connector lifecycle goes to the
 * {@link ConnectorRuntime}; offsets to the source-offset store and the consumer-offsets topic.
 * Thread-safe.
 */
public final class WorkerConnectorService implements ConnectorService {

    private final io.sluice.worker.store.ActiveTopics activeTopics;
    private final ConnectorRuntime runtime;
    private final Plugins plugins;
    private final SourceOffsetStore sourceOffsets;
    private final io.sluice.worker.task.SinkOffsets sinkOffsets;
    private final Log log;
    private final ConfigRedactor redactor;

    public WorkerConnectorService(
            ConnectorRuntime runtime,
            Plugins plugins,
            SourceOffsetStore sourceOffsets,
            io.sluice.worker.task.SinkOffsets sinkOffsets,
            Log log,
            io.sluice.worker.store.ActiveTopics activeTopics) {
        this.activeTopics = activeTopics;
        this.runtime = runtime;
        this.plugins = plugins;
        this.sourceOffsets = sourceOffsets;
        this.sinkOffsets = sinkOffsets;
        this.log = log;
        this.redactor = new ConfigRedactor(plugins);
    }

    @Override
    public List<String> connectorNames() {
        return runtime.connectorNames();
    }

    /** This worker's id, as statuses report it. */
    public String workerId() {
        return runtime.workerId();
    }

    @Override
    public ConnectorInfo createConnector(String name, Map<String, String> config, TargetState initialState) {
        return redacted(runtime.create(name, config, initialState));
    }

    @Override
    public PutConfigResult putConnectorConfig(String name, Map<String, String> config) {
        try {
            PutConfigResult result = runtime.put(name, config);
            return new PutConfigResult(result.created(), redacted(result.info()));
        } catch (IllegalArgumentException hiddenWithoutStoredValue) {
            throw new BadRequestException(hiddenWithoutStoredValue.getMessage());
        }
    }

    @Override
    public ConnectorInfo patchConnectorConfig(String name, Map<String, String> patch) {
        try {
            return redacted(runtime.patch(name, patch));
        } catch (IllegalArgumentException hiddenWithoutStoredValue) {
            throw new BadRequestException(hiddenWithoutStoredValue.getMessage());
        }
    }

    /** The connector's replication slot measured now (by its plugin's extension); see {@link ExtensionReadings}. */
    public java.util.Optional<io.sluice.core.status.ReplicationSlotStatus> measureReplicationSlot(String name) {
        return runtime.readings().measure(name);
    }

    /** Snapshot progress of a connector whose task runs here (by its plugin's extension); see {@link ExtensionReadings}. */
    public java.util.Optional<io.sluice.core.hub.SnapshotInfo> snapshot(String name) {
        return runtime.readings().snapshot(name);
    }

    @Override
    public Map<String, String> connectorConfig(String name) {
        return Map.copyOf(redactor.redact(runtime.configOf(name)));
    }

    @Override
    public ConnectorInfo connectorInfo(String name) {
        return redacted(runtime.info(name));
    }

    private ConnectorInfo redacted(ConnectorInfo info) {
        return new ConnectorInfo(info.name(), redactor.redact(info.config()), info.tasks(), info.type());
    }

    @Override
    public ConnectorStateInfo connectorStatus(String name) {
        return new ConnectorStateInfo(
                name,
                runtime.connectorStatus(name),
                runtime.taskStatuses(name),
                runtime.type(name),
                runtime.readings().latest(name).orElse(null));
    }

    @Override
    public List<TaskInfo> taskConfigs(String name) {
        Map<String, String> connectorConfig = runtime.configOf(name);
        org.apache.kafka.common.config.ConfigDef def = redactor.definitionOf(connectorConfig);
        return runtime.taskInfos(name).stream()
                .map(t -> new TaskInfo(t.id(), ConfigRedactor.redact(t.config(), def)))
                .toList();
    }

    @Override
    public TaskStatus taskStatus(TaskId id) {
        return runtime.taskStatus(id).orElseThrow(() -> new NotFoundException("Task " + id + " not found"));
    }

    @Override
    public void pauseConnector(String name) {
        runtime.pause(name);
    }

    @Override
    public void resumeConnector(String name) {
        runtime.resume(name);
    }

    @Override
    public void stopConnector(String name) {
        runtime.stop(name);
    }

    @Override
    public ConnectorStateInfo restartConnector(RestartRequest request) {
        ConnectorStateInfo before = connectorStatus(request.connector());
        runtime.restart(request);
        return request.planned(before);
    }

    @Override
    public void restartTask(TaskId id) {
        runtime.restartTask(id, "restart requested");
    }

    @Override
    public void deleteConnector(String name) {
        runtime.delete(name);
        activeTopics.reset(name);
    }

    @Override
    public ConnectorOffsets offsets(String name) {
        List<ConnectorOffsets.Offset> out = new ArrayList<>();
        if (runtime.type(name) == ConnectorType.SINK) {
            sinkOffsets.fetchAll(group(name)).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(io.sluice.log.TopicPartition::topic)
                            .thenComparingInt(io.sluice.log.TopicPartition::partition)))
                    .forEach(e -> out.add(new ConnectorOffsets.Offset(
                            Map.of(
                                    "kafka_topic",
                                    e.getKey().topic(),
                                    "kafka_partition",
                                    e.getKey().partition()),
                            Map.of("kafka_offset", e.getValue()))));
        } else {
            sourceOffsets.all(name).forEach((p, o) -> out.add(new ConnectorOffsets.Offset(p, o)));
        }
        return new ConnectorOffsets(out);
    }

    @Override
    public String alterOffsets(String name, ConnectorOffsets offsets) {
        if (requireStopped(name) == ConnectorType.SINK) {
            Map<io.sluice.log.TopicPartition, Long> commit = new HashMap<>();
            Set<io.sluice.log.TopicPartition> reset = new java.util.HashSet<>();
            for (ConnectorOffsets.Offset o : offsets.offsets()) {
                io.sluice.log.TopicPartition tp = sinkPartition(o.partition());
                if (o.offset() == null) {
                    reset.add(tp);
                } else {
                    commit.put(tp, sinkOffset(o.offset()));
                }
            }
            sinkOffsets.commit(group(name), commit);
            if (!reset.isEmpty()) {
                sinkOffsets.delete(group(name), reset);
            }
        } else {
            Map<Map<String, ?>, Map<String, ?>> changes = new HashMap<>();
            offsets.offsets().forEach(o -> changes.put(o.partition(), o.offset()));
            sourceOffsets.put(name, changes);
        }
        return "The offsets for this connector have been altered successfully";
    }

    @Override
    public String resetOffsets(String name) {
        if (requireStopped(name) == ConnectorType.SINK) {
            sinkOffsets.delete(group(name), Set.of());
        } else {
            sourceOffsets.removeAll(name);
        }
        return "The offsets for this connector have been reset successfully";
    }

    /** The connector's type, once it is STOPPED. */
    private ConnectorType requireStopped(String name) {
        if (runtime.targetState(name) != TargetState.STOPPED
                || runtime.connectorStatus(name).state() != State.STOPPED) {
            throw new BadRequestException("Connectors must be in the STOPPED state before their offsets can be"
                    + " modified. This can be done for the specified connector by issuing a 'PUT' request to the"
                    + " '/connectors/" + name + "/stop' endpoint");
        }
        return runtime.type(name);
    }

    private static io.sluice.log.TopicPartition sinkPartition(Map<String, ?> partition) {
        Object topic = partition == null ? null : partition.get("kafka_topic");
        Object p = partition == null ? null : partition.get("kafka_partition");
        if (!(topic instanceof String t) || !(p instanceof Number n)) {
            throw new BadRequestException("Sink connector offsets need a partition with a string \"kafka_topic\" and"
                    + " an integer \"kafka_partition\"; got " + partition);
        }
        return new io.sluice.log.TopicPartition(t, n.intValue());
    }

    private static long sinkOffset(Map<String, ?> offset) {
        Object o = offset.get("kafka_offset");
        if (!(o instanceof Number n) || n.longValue() < 0) {
            throw new BadRequestException(
                    "Sink connector offsets need a non-negative integer \"kafka_offset\"; got " + offset);
        }
        return n.longValue();
    }

    private static String group(String connector) {
        return "connect-" + connector;
    }

    @Override
    public Set<String> activeTopics(String name) {
        runtime.configOf(name);
        return activeTopics.topics(name);
    }

    @Override
    public void resetActiveTopics(String name) {
        runtime.configOf(name);
        activeTopics.reset(name);
    }

    @Override
    public ConfigInfos validateConfig(String pluginName, Map<String, String> config) {
        if (isUnknownConnector(pluginName)) {
            throw new BadRequestException("Failed to find any class that implements Connector and which name matches "
                    + pluginName + ", available connectors are: "
                    + plugins.list(PluginType.SOURCE, PluginType.SINK).stream()
                            .map(PluginDescriptor::className)
                            .toList());
        }
        Map<String, String> withClass = new LinkedHashMap<>(config);
        withClass.putIfAbsent("connector.class", pluginName);
        return runtime.validateUnresolved(withClass);
    }

    /** Whether no connector has that name or alias; an ambiguous alias is left to validation to report. */
    private boolean isUnknownConnector(String pluginName) {
        try {
            return plugins.find(pluginName, Connector.class).isEmpty();
        } catch (PluginNotFoundException ambiguous) {
            return false;
        }
    }

    @Override
    public List<PluginDescriptor> plugins(boolean connectorsOnly) {
        return connectorsOnly ? plugins.list(PluginType.SOURCE, PluginType.SINK) : plugins.list();
    }

    @Override
    public List<PluginProblem> pluginProblems() {
        return plugins.problems();
    }

    @Override
    public List<ConfigKeyInfo> pluginConfig(String pluginName) {
        Object plugin;
        try {
            plugin = plugins.newInstance(pluginName, Connector.class);
        } catch (PluginNotFoundException e) {
            throw new NotFoundException(e.getMessage(), e);
        }
        if (plugin instanceof Connector c) {
            return ConfigDefinitions.describe(c.config());
        }
        throw new NotFoundException("Plugin " + pluginName + " has no connector config definition");
    }

    static ConnectorType typeOf(Connector c) {
        return c instanceof SinkConnector ? ConnectorType.SINK : ConnectorType.SOURCE;
    }
}
