package io.sluice.worker.runtime;

import io.sluice.core.service.RestartRequest;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.worker.store.ConfigStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes what this worker runs match the stored config and the {@link Ownership} (what the placement
 * gives this worker): every stored connector is mirrored here (so any worker answers reads), the
 * connector instance runs where the placement puts it (that worker generates the task configs), and
 * each task runs on its worker under its epoch. Tasks whose worker, epoch and config did not change
 * keep running. A single worker is a cluster of one ({@link Ownership#EVERYTHING}): it takes the same
 * path. Triggered by every change of the stored configs, by ownership changes, and every 2 s.
 *
 * <p>Threading: {@link #sync} runs on the {@link ControlLoop}; triggers only queue work on it, so
 * the thread that applies a stored change never waits for the runtime.
 */
final class AssignmentSync {

    private static final Logger LOG = LoggerFactory.getLogger(AssignmentSync.class);
    private static final List<String> PREFIXES = List.of("connector/", "target/", "tasks/", "assignment/");
    private static final String RESTART = "restart/";

    private final ConnectorHosting hosting;
    private final ConfigStore configs;
    private final StatusTracker status;
    private final Ownership ownership;
    private final Restarts restarts;
    private final ControlLoop control;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** The last restart request handled per connector (requests stored before start are not replayed). */
    private final Map<String, String> restartsSeen = new ConcurrentHashMap<>();

    AssignmentSync(
            ConnectorHosting hosting,
            ConfigStore configs,
            StatusTracker status,
            Ownership ownership,
            Restarts restarts,
            ControlLoop control) {
        this.hosting = hosting;
        this.configs = configs;
        this.status = status;
        this.ownership = ownership;
        this.restarts = restarts;
        this.control = control;
    }

    /** Starts following the stored configs and the ownership, and brings every connector in line now. */
    void start() {
        configs.connectors().forEach(n -> configs.restart(n).ifPresent(r -> restartsSeen.put(n, r.id())));
        configs.onChange(this::changed);
        ownership.onChange(() -> control.execute(this::syncAll));
        control.scheduleWithFixedDelay(this::syncAll, 2, 2, TimeUnit.SECONDS);
        syncAll();
    }

    /** A stored key changed (any thread): queues the connector it belongs to. */
    void changed(String key) {
        if (key.startsWith(RESTART)) {
            String name = key.substring(RESTART.length());
            control.execute(() -> restartRequested(name));
            return;
        }
        for (String prefix : PREFIXES) {
            if (key.startsWith(prefix)) {
                pending.add(key.substring(prefix.length()));
                control.execute(this::drain);
                return;
            }
        }
    }

    private void drain() {
        for (String name : new ArrayList<>(pending)) {
            pending.remove(name);
            syncQuietly(name);
        }
    }

    private void restartRequested(String name) {
        ConfigStore.Restart r = configs.restart(name).orElse(null);
        ConnectorHost host = hosting.host(name);
        if (r == null || r.id().equals(restartsSeen.put(name, r.id())) || host == null) {
            return;
        }
        try {
            if (r.task() == null) {
                restarts.restartHere(host, new RestartRequest(name, r.onlyFailed(), r.includeTasks()));
            } else if (ownership.taskEpoch(new TaskId(name, r.task())).isPresent()) {
                restarts.restartTask(host, new TaskId(name, r.task()), "restart requested");
            }
        } catch (RuntimeException e) {
            LOG.warn("Requested restart of {} failed", name, e);
        }
    }

    /** Brings every stored and every hosted connector in line. */
    void syncAll() {
        Set<String> names = new TreeSet<>(configs.connectors());
        hosting.hosts().forEach(h -> names.add(h.name()));
        names.forEach(this::syncQuietly);
    }

    private void syncQuietly(String name) {
        try {
            sync(name);
        } catch (RuntimeException e) {
            LOG.warn("Could not bring connector {} in line with the stored config; retrying later", name, e);
        }
    }

    /** Brings one connector in line with the stored config, target state and ownership; returns its host. */
    ConnectorHost sync(String name) {
        Optional<Map<String, String>> stored = configs.connectorConfig(name);
        ConnectorHost host = hosting.host(name);
        if (stored.isEmpty()) {
            if (host != null) {
                stopHere(host);
                hosting.remove(name);
                status.forgetLocally(name);
            }
            return null;
        }
        TargetState target = TargetState.valueOf(configs.targetState(name).orElse("STARTED"));
        if (host == null) {
            host = hosting.add(name, stored.get(), target);
        } else if (!host.config().equals(stored.get())) {
            stopHere(host);
            host.reconfigure(stored.get());
        }
        if (host.target() != target) {
            retarget(host, target);
        }
        syncConnector(host);
        syncTasks(host);
        return host;
    }

    private void retarget(ConnectorHost host, TargetState target) {
        TargetState before = host.target();
        host.target(target);
        if (target == TargetState.STOPPED || before == TargetState.STOPPED) {
            stopHere(host);
            return;
        }
        host.retargetTasks(target);
        if (host.started()) {
            status.connector(host.name(), target == TargetState.PAUSED ? State.PAUSED : State.RUNNING, null);
        }
    }

    private void syncConnector(ConnectorHost host) {
        OptionalLong epoch = ownership.connectorEpoch(host.name());
        if (epoch.isPresent()) {
            if (host.connectorEpoch() == null || host.connectorEpoch() != epoch.getAsLong()) {
                host.stopConnector();
                host.connectorEpoch(epoch.getAsLong());
                hosting.startConnector(host);
            }
            return;
        }
        if (host.connectorEpoch() != null) {
            host.stopConnector();
            host.connectorEpoch(null);
            status.forgetLocally(host.name());
        }
        if (host.connector() == null) {
            hosting.instantiateQuietly(host);
        }
    }

    private void syncTasks(ConnectorHost host) {
        List<Map<String, String>> taskConfigs = configs.taskConfigs(host.name());
        Map<Integer, Long> wanted = new TreeMap<>();
        if (host.target() != TargetState.STOPPED && host.connector() != null) {
            for (int i = 0; i < taskConfigs.size(); i++) {
                OptionalLong epoch = ownership.taskEpoch(new TaskId(host.name(), i));
                if (epoch.isPresent()) {
                    wanted.put(i, epoch.getAsLong());
                }
            }
        }
        for (int i : host.startedTasks()) {
            if (!host.runsTask(i, wanted.get(i), i < taskConfigs.size() ? taskConfigs.get(i) : null)) {
                hosting.stopTask(host, i);
                host.forgetTaskStart(i);
                status.removeTask(new TaskId(host.name(), i));
            }
        }
        Set<Integer> running = host.startedTasks();
        wanted.forEach((i, epoch) -> {
            if (!running.contains(i)) {
                host.recordTaskStart(i, epoch, taskConfigs.get(i));
                hosting.startTask(host, i, taskConfigs);
            }
        });
    }

    /** Stops the connector instance and every task of it on this worker. */
    void stopHere(ConnectorHost host) {
        hosting.stopTasks(host);
        host.forgetTaskStarts();
        host.stopConnector();
        host.connectorEpoch(null);
    }
}
