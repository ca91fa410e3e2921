package io.sluice.worker.runtime;

import io.sluice.core.extension.ConnectorExtension;
import io.sluice.core.extension.ConnectorExtensions;
import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.secrets.ConfigReferenceResolver;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.validation.ConfigPolicy;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.task.TaskRunner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors this worker hosts and what it does with them: creating and starting connector
 * instances (their config resolved, with their plugin extension's start config), asking them for
 * task configs, and starting and stopping task runners under their epochs. Placement (which of them
 * run here) is {@link AssignmentSync}'s; this class only carries it out.
 *
 * <p>Threading: every method that changes something runs on the {@link ControlLoop}; {@link #host},
 * {@link #hosts} and {@link #isCurrent} are lock-free reads from any thread. Stopping tasks blocks
 * the control thread for up to the task shutdown timeout, and nothing else.
 */
final class ConnectorHosting implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorHosting.class);

    private final Map<String, ConnectorHost> hosts = new ConcurrentHashMap<>();
    private final Plugins plugins;
    private final ConfigStore configs;
    private final StatusTracker status;
    private final ConfigReferenceResolver resolver;
    private final ConnectorExtensions extensions;
    private final ConfigPolicy policy;
    private final TaskFactory taskFactory;
    private final TaskThreads taskThreads;
    private final Ownership ownership;
    private final Map<String, String> workerDefaults;
    private final ControlLoop control;
    private TaskSupervisor supervisor;

    ConnectorHosting(
            Plugins plugins,
            ConfigStore configs,
            StatusTracker status,
            ConfigReferenceResolver resolver,
            ConnectorExtensions extensions,
            ConfigPolicy policy,
            TaskFactory taskFactory,
            TaskThreads taskThreads,
            Ownership ownership,
            Map<String, String> workerDefaults,
            ControlLoop control) {
        this.plugins = plugins;
        this.configs = configs;
        this.status = status;
        this.resolver = resolver;
        this.extensions = extensions;
        this.policy = policy;
        this.taskFactory = taskFactory;
        this.taskThreads = taskThreads;
        this.ownership = ownership;
        this.workerDefaults = workerDefaults;
        this.control = control;
    }

    /** Who hears from the task runners started here; set once, before any task starts. */
    void supervisor(TaskSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    // ---- reads, from any thread ----

    /** The connector as hosted here, or null. */
    ConnectorHost host(String name) {
        return hosts.get(name);
    }

    Collection<ConnectorHost> hosts() {
        return hosts.values();
    }

    /** Lock-free: called from task threads while the control thread may be waiting for them. */
    boolean isCurrent(TaskId id, TaskRunner runner) {
        ConnectorHost host = hosts.get(id.connector());
        return host != null && host.task(id.task()) == runner;
    }

    /** The config as the connector's tasks see it: worker defaults applied, references resolved if possible. */
    Map<String, String> effectiveConfig(Map<String, String> config) {
        Map<String, String> withDefaults = withDefaults(config);
        try {
            return resolver.resolve(withDefaults);
        } catch (RuntimeException e) {
            return withDefaults;
        }
    }

    /** The config with the worker's {@code sluice.restart.*} defaults under it. */
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

    // ---- changes, on the control thread ----

    ConnectorHost add(String name, Map<String, String> config, TargetState target) {
        ConnectorHost host = new ConnectorHost(name, config, target);
        hosts.put(name, host);
        return host;
    }

    void remove(String name) {
        hosts.remove(name);
    }

    /** Starts the connector per its target state: instance and task configs, or STOPPED with none. */
    void startConnector(ConnectorHost host) {
        if (host.target() == TargetState.STOPPED) {
            if (!configs.taskConfigs(host.name()).isEmpty()) {
                configs.putTaskConfigs(host.name(), List.of());
            }
            if (host.connector() == null) {
                instantiateQuietly(host);
            }
            status.connector(host.name(), State.STOPPED, null);
            return;
        }
        if (startInstance(host)) {
            regenerateTaskConfigs(host);
        }
    }

    /** Creates the connector instance without starting it (to know its type and task class); never throws. */
    void instantiateQuietly(ConnectorHost host) {
        try {
            instantiate(host);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Connector {} cannot be instantiated on this worker", host.name(), e);
        }
    }

    private void instantiate(ConnectorHost host) {
        host.instance(plugins.newInstance(host.config().get("connector.class"), Connector.class));
    }

    /** Creates and starts the connector instance; on failure marks it FAILED and returns false. */
    boolean startInstance(ConnectorHost host) {
        try {
            instantiate(host);
            Map<String, String> plain = resolver.resolve(host.config());
            Map<String, String> resolved =
                    extension(host).map(e -> e.startConfig(plain)).orElse(plain);
            try (LoaderSwap swap = LoaderSwap.toLoaderOf(host.connector())) {
                host.connector().initialize(context(host.name()));
                host.connector().start(resolved);
            }
            host.markStarted();
            status.connector(host.name(), host.target() == TargetState.PAUSED ? State.PAUSED : State.RUNNING, null);
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Connector {} failed to start", host.name(), e);
            status.connector(host.name(), State.FAILED, e);
            return false;
        }
    }

    private java.util.Optional<ConnectorExtension> extension(ConnectorHost host) {
        Connector instance = host.connector();
        return instance == null ? java.util.Optional.empty() : extensions.forConnector(instance.getClass());
    }

    private ConnectorContext context(String name) {
        return new ConnectorContext() {
            @Override
            public void requestTaskReconfiguration() {
                control.execute(() -> reconfigureRequested(name));
            }

            @Override
            public void raiseError(Exception e) {
                status.connector(name, State.FAILED, e);
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return io.sluice.worker.task.Contexts.pluginMetrics(Map.of("connector", name));
            }
        };
    }

    /** The connector asked for new task configs; its tasks follow through the stored configs. */
    private void reconfigureRequested(String name) {
        ConnectorHost host = hosts.get(name);
        if (host != null && host.started() && host.target() != TargetState.STOPPED) {
            regenerateTaskConfigs(host);
        }
    }

    /**
     * Asks the connector for task configs and stores them if they changed; the tasks then start,
     * stop or restart where the assignment puts them ({@link AssignmentSync}, triggered by the change).
     */
    void regenerateTaskConfigs(ConnectorHost host) {
        List<Map<String, String>> generated;
        try (LoaderSwap swap = LoaderSwap.toLoaderOf(host.connector())) {
            generated = new ArrayList<>(host.connector().taskConfigs(host.maxTasks()));
        } catch (RuntimeException e) {
            status.connector(host.name(), State.FAILED, e);
            return;
        }
        List<Map<String, String>> withClass = new ArrayList<>();
        for (Map<String, String> c : generated) {
            Map<String, String> t = withReferences(host.config(), c);
            t.put("task.class", host.connector().taskClass().getName());
            withClass.add(t);
        }
        if (!withClass.equals(configs.taskConfigs(host.name()))) {
            configs.putTaskConfigs(host.name(), withClass);
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

    /** Starts task {@code index} if this worker may run it now; a failure to start is reported as FAILED. */
    void startTask(ConnectorHost host, int index, List<Map<String, String>> taskConfigs) {
        TaskId id = new TaskId(host.name(), index);
        OptionalLong epoch = ownership.taskEpoch(id);
        if (epoch.isEmpty()) {
            return; // assigned elsewhere meanwhile
        }
        try {
            Map<String, String> connectorConfig = resolver.resolve(withDefaults(host.config()));
            Map<String, String> taskConfig = resolver.resolve(taskConfigs.get(index));
            Map<String, String> refused = policy.check(taskConfig.get("task.class"), taskConfig);
            if (!refused.isEmpty()) {
                throw new org.apache.kafka.connect.errors.ConnectException("Task config refused: " + refused);
            }
            TaskRunner runner = taskFactory.create(
                    id,
                    taskConfigs.size(),
                    host.connector().getClass().getClassLoader(),
                    host.isSink(),
                    extension(host)
                            .map(ConnectorExtension::measuresSourceTimeLag)
                            .orElse(false),
                    connectorConfig,
                    taskConfig,
                    host.target(),
                    supervisor);
            runner.assignEpoch(epoch.getAsLong());
            host.runner(index, runner);
            taskThreads.launch(id, runner);
            ownership.started(id, epoch.getAsLong());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Task {} failed to start", id, e);
            supervisor.failedToStart(id, e);
        }
    }

    /** Stops every task of the connector here and forgets their status on this worker. */
    void stopTasks(ConnectorHost host) {
        release(taskThreads.stopAll(host.removeRunners()));
        status.tasksOf(host.name()).forEach(t -> status.removeTask(t.id()));
    }

    void stopTask(ConnectorHost host, int index) {
        TaskRunner runner = host.removeRunner(index);
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

    /** Stops every task and connector instance here. */
    @Override
    public void close() {
        List<TaskRunner> runners = new ArrayList<>();
        for (ConnectorHost host : hosts.values()) {
            runners.addAll(host.removeRunners());
        }
        release(taskThreads.stopAll(runners));
        hosts.values().forEach(ConnectorHost::stopConnector);
        taskThreads.close();
    }
}
