package io.sluice.worker.runtime;

import io.sluice.core.extension.ConnectorExtensions;
import io.sluice.core.plugin.PluginNotFoundException;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.secrets.ConfigReferenceResolver;
import io.sluice.core.secrets.HiddenValues;
import io.sluice.core.service.AlreadyExistsException;
import io.sluice.core.service.BadRequestException;
import io.sluice.core.service.ConnectorInfo;
import io.sluice.core.service.NotFoundException;
import io.sluice.core.service.PutConfigResult;
import io.sluice.core.service.RestartRequest;
import io.sluice.core.service.TaskInfo;
import io.sluice.core.status.ConnectorStatus;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.status.TaskStatus;
import io.sluice.core.validation.ConfigInfos;
import io.sluice.core.validation.ConfigPolicy;
import io.sluice.core.validation.ConnectorValidator;
import io.sluice.worker.store.ConfigStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.health.ConnectorType;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors of this worker as the REST API sees them. A change (create, config, target state,
 * delete, restart) is stored and then carried out by the {@link ControlLoop}: {@link AssignmentSync}
 * brings what runs here in line with the stored configs and the {@link Ownership} (everything on a
 * single worker, the cluster's assignment in a cluster: the same path), {@link ConnectorHosting}
 * starts and stops instances and tasks, {@link Restarts} restarts them. The shape of each operation
 * follows Kafka Connect.
 *
 * <p>Threading: changes run one at a time on the control loop (the caller waits for its own);
 * reads ({@code info}, {@code status}, {@code config}, ...) answer from the stored configs and the
 * status tracker without waiting for it, so a read never waits behind a task that is stopping.
 * Configs are stored as written (secrets and {@code ${...}} references unresolved) and resolved only
 * when a connector or task starts.
 */
public final class ConnectorRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRuntime.class);

    private final Plugins plugins;
    private final ConfigStore configs;
    private final StatusTracker status;
    private final ConnectorExtensions extensions;
    private final ConfigPolicy policy;
    private final ConnectorValidator validator;
    private final ControlLoop control = new ControlLoop("sluice-runtime-control");
    private final ScheduledExecutorService readingsScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-runtime-readings");
        t.setDaemon(true);
        return t;
    });
    private final ConnectorHosting hosting;
    private final Restarts restarts;
    private final AssignmentSync sync;
    private final ExtensionReadings readings;

    ConnectorRuntime(
            Plugins plugins,
            ConfigStore configs,
            StatusTracker status,
            ConfigReferenceResolver resolver,
            TaskFactory taskFactory,
            Map<String, String> workerDefaults,
            long shutdownTimeoutMs,
            ConnectorExtensions extensions,
            Ownership ownership,
            ConfigPolicy policy) {
        this.plugins = plugins;
        this.configs = configs;
        this.status = status;
        this.extensions = extensions;
        this.policy = policy;
        status.ownership(ownership);
        this.hosting = new ConnectorHosting(
                plugins,
                configs,
                status,
                resolver,
                extensions,
                policy,
                taskFactory,
                new TaskThreads(shutdownTimeoutMs),
                ownership,
                workerDefaults,
                control);
        this.restarts = new Restarts(hosting, configs, status, ownership);
        hosting.supervisor(new TaskSupervisor(status, hosting, control, restarts::autoRestart));
        this.sync = new AssignmentSync(hosting, configs, status, ownership, restarts, control);
        this.validator = new ConnectorValidator(plugins, resolver::resolve, policy, extensions::preflights);
        this.readings = new ExtensionReadings(new ReadableConnectors(), extensions);
    }

    /** Brings back every stored connector in its stored target state, and follows later changes. */
    public void startAll() {
        readingsScheduler.scheduleWithFixedDelay(this::probeQuietly, 2, 10, TimeUnit.SECONDS);
        control.run(sync::start);
    }

    private void probeQuietly() {
        try {
            readings.probeAll();
        } catch (RuntimeException e) {
            LOG.debug("Readings not taken: {}", e.toString());
        }
    }

    /** Replication-slot and snapshot readings of this worker's connectors, by their plugins' extensions. */
    public ExtensionReadings readings() {
        return readings;
    }

    // ---- changes: stored, then carried out on the control loop ----

    public ConnectorInfo create(String name, Map<String, String> config, TargetState initial) {
        ConnectorNames.validate(name);
        Map<String, String> stored = withName(name, config);
        return control.call(() -> {
            if (configs.connectorConfig(name).isPresent()) {
                throw new AlreadyExistsException("Connector " + name + " already exists");
            }
            validate(stored);
            configs.putConnector(name, stored, (initial == null ? TargetState.STARTED : initial).name());
            sync.sync(name);
            return info(name);
        });
    }

    public PutConfigResult put(String name, Map<String, String> config) {
        return control.call(() -> {
            Optional<Map<String, String>> current = configs.connectorConfig(name);
            if (current.isEmpty()) {
                return new PutConfigResult(true, create(name, config, TargetState.STARTED));
            }
            store(name, withName(name, HiddenValues.restore(current.get(), config)));
            return new PutConfigResult(false, info(name));
        });
    }

    /**
     * Applies {@code patch} (a null value removes the key) to the stored config: read, merged and
     * stored in one step of the control loop, so concurrent patches through this worker never lose
     * one another's changes.
     */
    public ConnectorInfo patch(String name, Map<String, String> patch) {
        return control.call(() -> {
            Map<String, String> merged = new LinkedHashMap<>(configs.connectorConfig(name)
                    .orElseThrow(() -> new NotFoundException("Connector " + name + " not found")));
            patch.forEach((k, v) -> {
                if (v == null) {
                    merged.remove(k);
                } else {
                    merged.put(k, v);
                }
            });
            store(
                    name,
                    withName(
                            name,
                            HiddenValues.restore(configs.connectorConfig(name).get(), merged)));
            return info(name);
        });
    }

    private void store(String name, Map<String, String> config) {
        validate(config);
        configs.putConnector(name, config, targetState(name).name());
        sync.sync(name);
    }

    private static Map<String, String> withName(String name, Map<String, String> config) {
        Map<String, String> stored = new LinkedHashMap<>(config);
        String given = stored.get("name");
        if (given != null && !given.equals(name)) {
            throw new BadRequestException("Connector name configuration (" + given
                    + ") doesn't match connector name in the URL (" + name + ")");
        }
        stored.put("name", name);
        return stored;
    }

    private void validate(Map<String, String> config) {
        ConfigInfos result = validator.validate(hosting.withDefaults(config));
        if (result.errorCount() > 0) {
            throw BadRequestException.of(result);
        }
    }

    /** Validates a config for {@code PUT /connector-plugins/{p}/config/validate} (references left as written). */
    public ConfigInfos validateUnresolved(Map<String, String> config) {
        return new ConnectorValidator(plugins, UnaryOperator.identity(), policy, extensions::preflights)
                .validate(hosting.withDefaults(config));
    }

    public void delete(String name) {
        control.run(() -> {
            Map<String, String> config = configOf(name);
            Connector instance = Optional.ofNullable(hosting.host(name))
                    .map(ConnectorHost::connector)
                    .orElse(null);
            configs.removeConnector(name);
            status.removeConnector(name);
            sync.sync(name);
            readings.deleted(view(name, config, instance));
            LOG.info("Deleted connector {}", name);
        });
    }

    public void pause(String name) {
        changeTarget(name, TargetState.PAUSED);
    }

    public void resume(String name) {
        changeTarget(name, TargetState.STARTED);
    }

    public void stop(String name) {
        changeTarget(name, TargetState.STOPPED);
    }

    private void changeTarget(String name, TargetState target) {
        control.run(() -> {
            configOf(name);
            if (targetState(name) != target) {
                configs.putTargetState(name, target.name());
                sync.sync(name);
            }
        });
    }

    public void restart(RestartRequest request) {
        control.run(() -> restarts.restart(requireHost(request.connector()), request));
    }

    public void restartTask(TaskId id, String reason) {
        control.run(() -> restarts.restartTask(requireHost(id.connector()), id, reason));
    }

    /** On the control loop: the connector's host, mirrored from the stored config if not yet. */
    private ConnectorHost requireHost(String name) {
        ConnectorHost host = hosting.host(name);
        if (host == null && configs.connectorConfig(name).isPresent()) {
            host = sync.sync(name);
        }
        if (host == null) {
            throw new NotFoundException("Connector " + name + " not found");
        }
        return host;
    }

    // ---- reads: from the stores and the published host state, never waiting for the control loop ----

    /** Every connector this worker knows, sorted. */
    public List<String> connectorNames() {
        TreeSet<String> names = new TreeSet<>(configs.connectors());
        return new ArrayList<>(names);
    }

    /** The connector's stored config (as written); throws NotFoundException when there is none. */
    public Map<String, String> configOf(String name) {
        return configs.connectorConfig(name)
                .orElseThrow(() -> new NotFoundException("Connector " + name + " not found"));
    }

    /** The connector's stored target state. */
    public TargetState targetState(String name) {
        configOf(name);
        return TargetState.valueOf(configs.targetState(name).orElse("STARTED"));
    }

    public ConnectorInfo info(String name) {
        Map<String, String> config = configOf(name);
        List<TaskId> tasks = new ArrayList<>();
        for (int i = 0; i < configs.taskConfigs(name).size(); i++) {
            tasks.add(new TaskId(name, i));
        }
        return new ConnectorInfo(name, config, tasks, type(name, config));
    }

    /** SOURCE or SINK from the instance here, or from its plugin's class; UNKNOWN when neither is known. */
    public ConnectorType type(String name) {
        return type(name, configOf(name));
    }

    private ConnectorType type(String name, Map<String, String> config) {
        ConnectorHost host = hosting.host(name);
        Connector instance = host == null ? null : host.connector();
        if (instance != null) {
            return instance instanceof SinkConnector ? ConnectorType.SINK : ConnectorType.SOURCE;
        }
        try {
            Class<? extends Connector> type = plugins.pluginClass(config.get("connector.class"), Connector.class);
            return SinkConnector.class.isAssignableFrom(type) ? ConnectorType.SINK : ConnectorType.SOURCE;
        } catch (PluginNotFoundException | IllegalArgumentException e) {
            return ConnectorType.UNKNOWN;
        }
    }

    public List<TaskInfo> taskInfos(String name) {
        configOf(name);
        List<TaskInfo> out = new ArrayList<>();
        List<Map<String, String>> taskConfigs = configs.taskConfigs(name);
        for (int i = 0; i < taskConfigs.size(); i++) {
            out.add(new TaskInfo(new TaskId(name, i), taskConfigs.get(i)));
        }
        return out;
    }

    public ConnectorStatus connectorStatus(String name) {
        configOf(name);
        return status.connector(name).orElse(new ConnectorStatus(name, State.UNASSIGNED, status.workerId(), null, 0));
    }

    public List<TaskStatus> taskStatuses(String name) {
        configOf(name);
        return status.tasksOf(name);
    }

    public Optional<TaskStatus> taskStatus(TaskId id) {
        configOf(id.connector());
        return status.task(id);
    }

    /** This worker's id, as statuses report it. */
    public String workerId() {
        return status.workerId();
    }

    /** The connectors as {@link ExtensionReadings} sees them: lock-free reads. */
    private final class ReadableConnectors implements ExtensionReadings.Connectors {
        @Override
        public Map<String, ExtensionReadings.ConnectorView> running() {
            Map<String, ExtensionReadings.ConnectorView> out = new LinkedHashMap<>();
            hosting.hosts().stream()
                    .filter(ConnectorHost::started)
                    .forEach(h -> out.put(h.name(), view(h.name(), h.config(), h.connector())));
            return out;
        }

        @Override
        public ExtensionReadings.ConnectorView require(String name) {
            ConnectorHost host = hosting.host(name);
            return view(name, configOf(name), host == null ? null : host.connector());
        }
    }

    private ExtensionReadings.ConnectorView view(String name, Map<String, String> config, Connector instance) {
        return new ExtensionReadings.ConnectorView(
                name,
                config.get("connector.class"),
                instance == null ? null : instance.getClass(),
                () -> hosting.effectiveConfig(config));
    }

    /** For wiring only: the stored configs (cluster-scoped log levels live beside the connector configs). */
    ConfigStore configStore() {
        return configs;
    }

    @Override
    public void close() {
        readingsScheduler.shutdownNow();
        try {
            control.run(hosting::close);
        } finally {
            control.close();
        }
    }
}
