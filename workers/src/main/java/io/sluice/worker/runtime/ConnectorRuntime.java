package io.sluice.worker.runtime;

import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.plugin.PluginDescriptor;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.secrets.ConfigReferenceResolver;
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
import io.sluice.core.validation.ConfigInfos;
import io.sluice.core.validation.ConfigPolicy;
import io.sluice.core.validation.ConnectorValidator;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.task.TaskRunner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.health.ConnectorType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts every connector of this worker. The shape of each operation follows Kafka Connect; the
 * REST-facing queries and offset operations live in {@link ConnectorQueries}.
 *
 * <p>Threading: operations are serialised on this object; tasks run on their own threads and report
 * back through {@link TaskSupervisor}. Configs are stored as written (secrets and {@code ${...}}
 * references unresolved) and resolved only when a connector or task starts.
 */
public final class ConnectorRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRuntime.class);

    final Plugins plugins;
    final ConfigStore configs;
    final StatusTracker status;
    final Map<String, ConnectorHost> hosts = new java.util.concurrent.ConcurrentHashMap<>();
    private final ConfigReferenceResolver resolver;
    private final ConnectorValidator validator;
    /** The worker's own rules on configs (file connectors' paths), checked again as each task starts. */
    final ConfigPolicy policy;

    private final TaskFactory taskFactory;
    private final Map<String, String> workerDefaults;
    private final TaskThreads taskThreads;
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-runtime-scheduler");
        t.setDaemon(true);
        return t;
    });
    private final TaskSupervisor supervisor;
    private final CdcProbes cdcProbes;
    private final Restarts restarts = new Restarts(this);
    final Ownership ownership;
    /** In a cluster: keeps this worker in line with the shared config topic; null on a single worker. */
    private final AssignmentSync sync;

    ConnectorRuntime(
            Plugins plugins,
            ConfigStore configs,
            StatusTracker status,
            ConfigReferenceResolver resolver,
            TaskFactory taskFactory,
            Map<String, String> workerDefaults,
            long shutdownTimeoutMs,
            PostgresCdcSupport cdc,
            Ownership ownership,
            ConfigPolicy policy) {
        this.cdcProbes = new CdcProbes(this, cdc);
        this.ownership = ownership;
        status.ownership(ownership);
        this.plugins = plugins;
        this.configs = configs;
        this.status = status;
        this.resolver = resolver;
        this.policy = policy;
        this.validator =
                new ConnectorValidator(plugins, resolver::resolve, policy, List.of(new PostgresCdcPreflight()));
        this.taskFactory = taskFactory;
        this.workerDefaults = workerDefaults;
        this.taskThreads = new TaskThreads(shutdownTimeoutMs);
        this.supervisor = new TaskSupervisor(this, status, workerDefaults);
        this.sync = ownership.clustered() ? new AssignmentSync(this, ownership) : null;
    }

    /** The connector's config as its tasks see it: worker defaults applied, references resolved if possible. */
    Map<String, String> effectiveConfig(ConnectorHost host) {
        Map<String, String> config = withDefaults(host.config);
        try {
            return resolver.resolve(config);
        } catch (RuntimeException e) {
            return config;
        }
    }

    /** Replication-slot and snapshot readings of this worker's Postgres CDC connectors. */
    public CdcProbes cdc() {
        return cdcProbes;
    }

    /** Brings back every stored connector in its stored target state. */
    public synchronized void startAll() {
        scheduler.scheduleWithFixedDelay(cdcProbes::probeAll, 2, 10, TimeUnit.SECONDS);
        if (sync != null) {
            sync.start();
            return;
        }
        for (String name : configs.connectors()) {
            Map<String, String> config = configs.connectorConfig(name).orElseThrow();
            TargetState target = TargetState.valueOf(configs.targetState(name).orElse("STARTED"));
            ConnectorHost host = new ConnectorHost(name, config, target);
            hosts.put(name, host);
            startConnector(host);
        }
    }

    // ---- configuration changes ----

    public synchronized ConnectorInfo create(String name, Map<String, String> config, TargetState initial) {
        ConnectorNames.validate(name);
        if (hosts.containsKey(name)
                || (sync != null && configs.connectorConfig(name).isPresent())) {
            throw new AlreadyExistsException("Connector " + name + " already exists");
        }
        Map<String, String> stored = withName(name, config);
        validate(stored);
        if (sync != null) {
            configs.putConnector(name, stored, (initial == null ? TargetState.STARTED : initial).name());
            sync.sync(name);
            return info(require(name));
        }
        configs.putConnector(name, stored, (initial == null ? TargetState.STARTED : initial).name());
        ConnectorHost host = new ConnectorHost(name, stored, initial == null ? TargetState.STARTED : initial);
        hosts.put(name, host);
        startConnector(host);
        return info(host);
    }

    public synchronized PutConfigResult put(String name, Map<String, String> config) {
        ConnectorHost host = sync != null ? hostIfStored(name) : hosts.get(name);
        if (host == null) {
            return new PutConfigResult(true, create(name, config, TargetState.STARTED));
        }
        Map<String, String> stored = withName(name, io.sluice.core.secrets.HiddenValues.restore(host.config, config));
        validate(stored);
        if (sync != null) {
            configs.putConnector(name, stored, host.target.name());
            sync.sync(name);
            return new PutConfigResult(false, info(require(name)));
        }
        configs.putConnector(name, stored, host.target.name());
        stopTasks(host);
        host.stopConnector();
        host.config = stored;
        startConnector(host);
        return new PutConfigResult(false, info(host));
    }

    private Map<String, String> withName(String name, Map<String, String> config) {
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
        ConfigInfos result = validator.validate(withDefaults(config));
        if (result.errorCount() > 0) {
            throw BadRequestException.of(result);
        }
    }

    Map<String, String> withDefaults(Map<String, String> config) {
        Map<String, String> merged = new HashMap<>();
        workerDefaults.forEach((k, v) -> {
            if (k.startsWith("sluice.restart.")) {
                merged.put(k, v);
            }
        });
        merged.putAll(config);
        return merged;
    }

    public synchronized void delete(String name) {
        ConnectorHost host = require(name);
        if (sync != null) {
            configs.removeConnector(name);
            status.removeConnector(name);
            sync.sync(name);
            cdcProbes.deleted(host);
            LOG.info("Deleted connector {}", name);
            return;
        }
        stopTasks(host);
        host.stopConnector();
        cdcProbes.deleted(host);
        hosts.remove(name);
        configs.removeConnector(name);
        status.removeConnector(name);
        LOG.info("Deleted connector {}", name);
    }

    // ---- target states ----

    public synchronized void pause(String name) {
        changeTarget(require(name), TargetState.PAUSED);
    }

    public synchronized void resume(String name) {
        changeTarget(require(name), TargetState.STARTED);
    }

    public synchronized void stop(String name) {
        changeTarget(require(name), TargetState.STOPPED);
    }

    private void changeTarget(ConnectorHost host, TargetState target) {
        if (host.target == target) {
            return;
        }
        if (sync != null) {
            configs.putTargetState(host.name, target.name());
            sync.sync(host.name);
            return;
        }
        TargetState before = host.target;
        host.target = target;
        configs.putTargetState(host.name, target.name());
        if (target == TargetState.STOPPED || before == TargetState.STOPPED) {
            stopTasks(host);
            host.stopConnector();
            startConnector(host);
            return;
        }
        status.connector(host.name, target == TargetState.PAUSED ? State.PAUSED : State.RUNNING, null);
        host.tasks.values().forEach(t -> t.setTarget(target));
    }

    // ---- restarts (see Restarts) ----

    public synchronized void restart(RestartRequest request) {
        restarts.restart(request);
    }

    /** Restarts what the request names that runs on this worker. */
    synchronized void restartHere(RestartRequest request) {
        restarts.restartHere(request);
    }

    public synchronized void restartTask(TaskId id, String reason) {
        restarts.restartTask(id, reason);
    }

    /** Called by the supervisor when an automatic restart is due. */
    synchronized void autoRestart(TaskId id) {
        restarts.autoRestart(id);
    }

    /** Whether this worker is part of a cluster (restarts then go through the config topic). */
    boolean clustered() {
        return sync != null;
    }

    // ---- lifecycle ----

    void startConnector(ConnectorHost host) {
        if (host.target == TargetState.STOPPED) {
            if (!configs.taskConfigs(host.name).isEmpty()) {
                configs.putTaskConfigs(host.name, List.of());
            }
            if (host.connector == null) {
                instantiate(host);
            }
            status.connector(host.name, State.STOPPED, null);
            return;
        }
        if (!startConnectorInstance(host)) {
            return;
        }
        regenerateTasks(host);
    }

    private void instantiate(ConnectorHost host) {
        host.connector = plugins.newInstance(host.config.get("connector.class"), Connector.class);
    }

    /** Creates the connector instance without starting it (to know its type and task class); never throws. */
    void instantiateQuietly(ConnectorHost host) {
        try {
            instantiate(host);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Connector {} cannot be instantiated on this worker", host.name, e);
        }
    }

    /** In a cluster: the connector's host, mirrored from the config topic if this worker has not yet. */
    private ConnectorHost hostIfStored(String name) {
        if (!hosts.containsKey(name) && configs.connectorConfig(name).isPresent()) {
            sync.sync(name);
        }
        return hosts.get(name);
    }

    /** Creates and starts the connector instance; on failure marks it FAILED and returns false. */
    boolean startConnectorInstance(ConnectorHost host) {
        try {
            instantiate(host);
            Map<String, String> resolved = PostgresCdcSupport.withDefaults(resolver.resolve(host.config));
            try (LoaderSwap swap = LoaderSwap.toLoaderOf(host.connector)) {
                host.connector.initialize(context(host));
                host.connector.start(resolved);
            }
            host.started = true;
            status.connector(host.name, host.target == TargetState.PAUSED ? State.PAUSED : State.RUNNING, null);
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Connector {} failed to start", host.name, e);
            status.connector(host.name, State.FAILED, e);
            return false;
        }
    }

    private ConnectorContext context(ConnectorHost host) {
        return new ConnectorContext() {
            @Override
            public void requestTaskReconfiguration() {
                scheduler.execute(() -> reconfigure(host.name));
            }

            @Override
            public void raiseError(Exception e) {
                status.connector(host.name, State.FAILED, e);
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return io.sluice.worker.task.Contexts.pluginMetrics(Map.of("connector", host.name));
            }
        };
    }

    private synchronized void reconfigure(String name) {
        ConnectorHost host = hosts.get(name);
        if (host != null && host.started && host.target != TargetState.STOPPED) {
            regenerateTasks(host);
        }
    }

    /** Asks the connector for task configs; if they changed, stores them and restarts the tasks. */
    private void regenerateTasks(ConnectorHost host) {
        List<Map<String, String>> generated;
        try (LoaderSwap swap = LoaderSwap.toLoaderOf(host.connector)) {
            generated = new ArrayList<>(host.connector.taskConfigs(host.maxTasks()));
        } catch (RuntimeException e) {
            status.connector(host.name, State.FAILED, e);
            return;
        }
        List<Map<String, String>> withClass = new ArrayList<>();
        for (Map<String, String> c : generated) {
            Map<String, String> t = withReferences(host.config, c);
            t.put("task.class", host.connector.taskClass().getName());
            withClass.add(t);
        }
        boolean changed = !withClass.equals(configs.taskConfigs(host.name));
        if (changed) {
            configs.putTaskConfigs(host.name, withClass);
        }
        if (sync != null) {
            return; // the tasks start where the assignment puts them
        }
        if (changed || host.tasks.isEmpty()) {
            stopTasks(host);
            for (int i = 0; i < withClass.size(); i++) {
                startTask(host, i, withClass);
            }
        }
    }

    /**
     * The task config to store: the connector derived it from resolved values, so where the
     * connector's own config holds a {@code ${...}} reference under the same key, the reference goes
     * back in (as Kafka Connect does) and the secret is resolved again only when the task starts.
     */
    private static Map<String, String> withReferences(Map<String, String> connectorConfig, Map<String, String> task) {
        Map<String, String> out = new LinkedHashMap<>(task);
        connectorConfig.forEach((key, raw) -> {
            if (out.containsKey(key) && raw != null && ConfigReferenceResolver.hasReferences(Map.of(key, raw))) {
                out.put(key, raw);
            }
        });
        return out;
    }

    void startTask(ConnectorHost host, int index, List<Map<String, String>> taskConfigs) {
        TaskId id = new TaskId(host.name, index);
        java.util.OptionalLong epoch = ownership.taskEpoch(id);
        if (epoch.isEmpty()) {
            return; // assigned elsewhere meanwhile
        }
        try {
            Map<String, String> connectorConfig = resolver.resolve(withDefaults(host.config));
            Map<String, String> taskConfig = resolver.resolve(taskConfigs.get(index));
            Map<String, String> refused = policy.check(taskConfig.get("task.class"), taskConfig);
            if (!refused.isEmpty()) {
                throw new org.apache.kafka.connect.errors.ConnectException("Task config refused: " + refused);
            }
            TaskRunner runner = taskFactory.create(
                    id,
                    taskConfigs.size(),
                    host.connector.getClass().getClassLoader(),
                    host.isSink(),
                    connectorConfig,
                    taskConfig,
                    host.target,
                    supervisor);
            runner.assignEpoch(epoch.getAsLong());
            host.tasks.put(index, runner);
            taskThreads.launch(id, runner);
            ownership.started(id, epoch.getAsLong());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Task {} failed to start", id, e);
            supervisor.failedToStart(id, e);
        }
    }

    void stopTasks(ConnectorHost host) {
        List<TaskRunner> runners = new ArrayList<>(host.tasks.values());
        host.tasks.clear();
        release(taskThreads.stopAll(runners));
        status.tasksOf(host.name).forEach(t -> status.removeTask(t.id()));
    }

    void stopTask(ConnectorHost host, int index) {
        TaskRunner runner = host.tasks.remove(index);
        if (runner != null && taskThreads.stop(runner)) {
            release(List.of(runner));
        }
    }

    /**
     * Tells the cluster that these stopped tasks (their last offsets committed) may start on their
     * next worker. A task that did not stop in time is not released: its next worker waits for it.
     */
    private void release(List<TaskRunner> stopped) {
        for (TaskRunner runner : stopped) {
            try {
                ownership.released(runner.id(), runner.epoch());
            } catch (RuntimeException e) {
                LOG.warn("Could not record that task {} was released: {}", runner.id(), e.getMessage());
            }
        }
    }

    /** Lock-free: called from task threads while the runtime may hold its lock waiting for them. */
    boolean isCurrent(TaskId id, TaskRunner runner) {
        ConnectorHost host = hosts.get(id.connector());
        return host != null && host.tasks.get(id.task()) == runner;
    }

    // ---- reads used by ConnectorQueries ----

    ConnectorHost require(String name) {
        ConnectorHost host = hosts.get(name);
        if (host == null && sync != null) {
            synchronized (this) {
                host = hostIfStored(name);
            }
        }
        if (host == null) {
            throw new NotFoundException("Connector " + name + " not found");
        }
        return host;
    }

    ConnectorInfo info(ConnectorHost host) {
        List<TaskId> tasks = new ArrayList<>();
        for (int i = 0; i < configs.taskConfigs(host.name).size(); i++) {
            tasks.add(new TaskId(host.name, i));
        }
        return new ConnectorInfo(host.name, host.config, tasks, type(host));
    }

    static ConnectorType type(ConnectorHost host) {
        if (host.connector == null) {
            return ConnectorType.UNKNOWN;
        }
        return host.isSink() ? ConnectorType.SINK : ConnectorType.SOURCE;
    }

    synchronized List<TaskInfo> taskInfos(String name) {
        require(name);
        List<TaskInfo> out = new ArrayList<>();
        List<Map<String, String>> taskConfigs = configs.taskConfigs(name);
        for (int i = 0; i < taskConfigs.size(); i++) {
            out.add(new TaskInfo(new TaskId(name, i), taskConfigs.get(i)));
        }
        return out;
    }

    synchronized ConnectorStatus connectorStatus(String name) {
        ConnectorHost host = require(name);
        return status.connector(name).orElse(new ConnectorStatus(name, State.UNASSIGNED, status.workerId(), null, 0));
    }

    public synchronized List<PluginDescriptor> plugins() {
        return plugins.list();
    }

    @Override
    public synchronized void close() {
        List<TaskRunner> runners = new ArrayList<>();
        for (ConnectorHost host : hosts.values()) {
            runners.addAll(host.tasks.values());
            host.tasks.clear();
        }
        release(taskThreads.stopAll(runners));
        hosts.values().forEach(ConnectorHost::stopConnector);
        scheduler.shutdownNow();
        taskThreads.close();
    }
}
