package io.sluice.worker.runtime;

import io.sluice.core.service.NotFoundException;
import io.sluice.core.service.RestartRequest;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.status.TaskStatus;
import io.sluice.worker.store.ConfigStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Restarts of connectors and tasks, asked through the REST API or due after a failure. What runs on
 * this worker restarts here at once; in a cluster, a request for work this worker does not own is
 * written to the config topic and the worker that owns it restarts it ({@link AssignmentSync} calls
 * {@link #restartHere}).
 *
 * <p>Threading: runs on the runtime's {@link ControlLoop}.
 */
final class Restarts {

    private final ConnectorHosting hosting;
    private final ConfigStore configs;
    private final StatusTracker status;
    private final Ownership ownership;

    Restarts(ConnectorHosting hosting, ConfigStore configs, StatusTracker status, Ownership ownership) {
        this.hosting = hosting;
        this.configs = configs;
        this.status = status;
        this.ownership = ownership;
    }

    /** A restart asked through the REST API: here, or in a cluster by every worker for its part. */
    void restart(ConnectorHost host, RestartRequest request) {
        if (ownership.clustered()) {
            configs.putRestart(
                    host.name(),
                    new ConfigStore.Restart(
                            UUID.randomUUID().toString(), null, request.onlyFailed(), request.includeTasks()));
            return; // every worker restarts what it runs (AssignmentSync)
        }
        restartHere(host, request);
    }

    /** Restarts what the request names that runs on this worker. */
    void restartHere(ConnectorHost host, RestartRequest request) {
        boolean connectorFailed = status.connector(host.name())
                .map(s -> s.state() == State.FAILED)
                .orElse(false);
        boolean restartConnector = (!request.onlyFailed() || connectorFailed)
                && ownership.connectorEpoch(host.name()).isPresent();
        List<Integer> restartTasks = new ArrayList<>();
        if (request.includeTasks()) {
            for (TaskStatus t : status.tasksOf(host.name())) {
                if ((!request.onlyFailed() || t.state() == State.FAILED)
                        && ownership.taskEpoch(t.id()).isPresent()) {
                    restartTasks.add(t.id().task());
                }
            }
        }
        if (restartConnector) {
            status.connector(host.name(), State.RESTARTING, null);
        }
        restartTasks.forEach(i -> status.task(new TaskId(host.name(), i), State.RESTARTING, null));
        if (restartConnector) {
            host.stopConnector();
            hosting.startInstance(host);
        }
        for (int i : restartTasks) {
            restartTask(host, new TaskId(host.name(), i), "restart requested");
        }
    }

    /** Restarts one task: here if it runs here, else (in a cluster) through its worker. */
    void restartTask(ConnectorHost host, TaskId id, String reason) {
        List<Map<String, String>> taskConfigs = configs.taskConfigs(host.name());
        if (id.task() < 0 || id.task() >= taskConfigs.size()) {
            throw new NotFoundException("Task " + id + " not found");
        }
        if (ownership.clustered() && ownership.taskEpoch(id).isEmpty()) {
            configs.putRestart(
                    host.name(), new ConfigStore.Restart(UUID.randomUUID().toString(), id.task(), false, false));
            return; // its worker restarts it (AssignmentSync)
        }
        status.history(id).recordRequested(Instant.now(), reason);
        status.restarted(id, false);
        hosting.stopTask(host, id.task());
        hosting.startTask(host, id.task(), taskConfigs);
    }

    /** An automatic restart is due (scheduled by {@link TaskSupervisor}): restarts the task if still FAILED. */
    void autoRestart(TaskId id) {
        ConnectorHost host = hosting.host(id.connector());
        if (host == null || host.target() == TargetState.STOPPED) {
            return;
        }
        boolean stillFailed =
                status.task(id).map(s -> s.state() == State.FAILED).orElse(false);
        List<Map<String, String>> taskConfigs = configs.taskConfigs(host.name());
        if (!stillFailed || id.task() >= taskConfigs.size()) {
            return;
        }
        status.task(id, State.RESTARTING, null);
        hosting.stopTask(host, id.task());
        hosting.startTask(host, id.task(), taskConfigs);
    }
}
