package io.sluice.worker.runtime;

import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.worker.store.ConfigStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * In a cluster, makes what this worker runs match the shared config topic: every connector's
 * config and target state are mirrored here (so any worker answers REST reads), the connector
 * instance runs where the assignment puts it (that worker generates the task configs), and each task
 * runs on its assigned worker under its epoch. Tasks whose worker, epoch and config did not change
 * keep running. Triggered by every change applied to the config topic, by membership changes, and
 * every few seconds.
 *
 * <p>Threading: {@link #sync} runs under the runtime's lock; triggers only queue work on the runtime's
 * scheduler, so the metadata group's apply thread never waits for the runtime.
 */
final class AssignmentSync {

    private static final Logger LOG = LoggerFactory.getLogger(AssignmentSync.class);
    private static final List<String> PREFIXES = List.of("connector/", "target/", "tasks/", "assignment/");

    private final ConnectorRuntime rt;
    private final Ownership ownership;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    /** The last restart request handled per connector (requests stored before start are not replayed). */
    private final Map<String, String> restartsSeen = new ConcurrentHashMap<>();

    AssignmentSync(ConnectorRuntime rt, Ownership ownership) {
        this.rt = rt;
        this.ownership = ownership;
    }

    void start() {
        rt.configs.connectors().forEach(n -> rt.configs.restart(n).ifPresent(r -> restartsSeen.put(n, r.id())));
        rt.configs.onChange(this::changed);
        ownership.onChange(() -> rt.scheduler.execute(this::syncAll));
        rt.scheduler.scheduleWithFixedDelay(this::syncAll, 2, 2, TimeUnit.SECONDS);
        syncAll();
    }

    private void changed(String key) {
        if (key.startsWith("restart/")) {
            String name = key.substring("restart/".length());
            rt.scheduler.execute(() -> restartRequested(name));
            return;
        }
        for (String prefix : PREFIXES) {
            if (key.startsWith(prefix)) {
                pending.add(key.substring(prefix.length()));
                rt.scheduler.execute(this::drain);
                return;
            }
        }
    }

    private void drain() {
        synchronized (rt) {
            for (String name : new ArrayList<>(pending)) {
                pending.remove(name);
                syncQuietly(name);
            }
        }
    }

    private void restartRequested(String name) {
        synchronized (rt) {
            ConfigStore.Restart r = rt.configs.restart(name).orElse(null);
            if (r == null || r.id().equals(restartsSeen.put(name, r.id())) || !rt.hosts.containsKey(name)) {
                return;
            }
            try {
                if (r.task() == null) {
                    rt.restartHere(new io.sluice.core.service.RestartRequest(name, r.onlyFailed(), r.includeTasks()));
                } else if (ownership.taskEpoch(new TaskId(name, r.task())).isPresent()) {
                    rt.restartTask(new TaskId(name, r.task()), "restart requested");
                }
            } catch (RuntimeException e) {
                LOG.warn("Requested restart of {} failed", name, e);
            }
        }
    }

    void syncAll() {
        synchronized (rt) {
            Set<String> names = new TreeSet<>(rt.configs.connectors());
            names.addAll(rt.hosts.keySet());
            names.forEach(this::syncQuietly);
        }
    }

    private void syncQuietly(String name) {
        try {
            sync(name);
        } catch (RuntimeException e) {
            LOG.warn("Could not bring connector {} in line with the cluster's config; retrying later", name, e);
        }
    }

    /** Brings one connector in line with the stored config, target state and assignment. Holds the runtime lock. */
    void sync(String name) {
        Optional<Map<String, String>> stored = rt.configs.connectorConfig(name);
        ConnectorHost host = rt.hosts.get(name);
        if (stored.isEmpty()) {
            if (host != null) {
                stopHere(host);
                rt.hosts.remove(name);
                rt.status.forgetLocally(name);
            }
            return;
        }
        TargetState target = TargetState.valueOf(rt.configs.targetState(name).orElse("STARTED"));
        if (host == null) {
            host = new ConnectorHost(name, stored.get(), target);
            rt.hosts.put(name, host);
        } else if (!host.config.equals(stored.get())) {
            stopHere(host);
            host.config = stored.get();
            host.connector = null;
        }
        if (host.target != target) {
            TargetState before = host.target;
            host.target = target;
            if (target == TargetState.STOPPED || before == TargetState.STOPPED) {
                stopHere(host);
            } else {
                host.tasks.values().forEach(t -> t.setTarget(target));
                if (host.started) {
                    rt.status.connector(name, target == TargetState.PAUSED ? State.PAUSED : State.RUNNING, null);
                }
            }
        }
        syncConnector(host);
        syncTasks(host);
    }

    private void syncConnector(ConnectorHost host) {
        OptionalLong epoch = ownership.connectorEpoch(host.name);
        if (epoch.isPresent()) {
            if (!Objects.equals(host.connectorEpoch, epoch.getAsLong())) {
                host.stopConnector();
                host.connectorEpoch = epoch.getAsLong();
                rt.startConnector(host);
            }
            return;
        }
        if (host.connectorEpoch != null) {
            host.stopConnector();
            host.connectorEpoch = null;
            rt.status.forgetLocally(host.name);
        }
        if (host.connector == null) {
            rt.instantiateQuietly(host);
        }
    }

    private void syncTasks(ConnectorHost host) {
        List<Map<String, String>> taskConfigs = rt.configs.taskConfigs(host.name);
        Map<Integer, Long> wanted = new TreeMap<>();
        if (host.target != TargetState.STOPPED && host.connector != null) {
            for (int i = 0; i < taskConfigs.size(); i++) {
                OptionalLong epoch = ownership.taskEpoch(new TaskId(host.name, i));
                if (epoch.isPresent()) {
                    wanted.put(i, epoch.getAsLong());
                }
            }
        }
        for (Integer i : new ArrayList<>(host.taskEpochs.keySet())) {
            boolean same = Objects.equals(wanted.get(i), host.taskEpochs.get(i))
                    && i < taskConfigs.size()
                    && taskConfigs.get(i).equals(host.taskStartConfigs.get(i));
            if (!same) {
                rt.stopTask(host, i);
                host.taskEpochs.remove(i);
                host.taskStartConfigs.remove(i);
                rt.status.removeTask(new TaskId(host.name, i));
            }
        }
        wanted.forEach((i, epoch) -> {
            if (!host.taskEpochs.containsKey(i)) {
                host.taskEpochs.put(i, epoch);
                host.taskStartConfigs.put(i, taskConfigs.get(i));
                rt.startTask(host, i, taskConfigs);
            }
        });
    }

    /** Stops the connector instance and every task of it on this worker. */
    private void stopHere(ConnectorHost host) {
        rt.stopTasks(host);
        host.taskEpochs.clear();
        host.taskStartConfigs.clear();
        host.stopConnector();
        host.connectorEpoch = null;
    }
}
