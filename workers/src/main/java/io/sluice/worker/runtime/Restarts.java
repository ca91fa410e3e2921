package io.sluice.worker.runtime;

import io.sluice.core.service.NotFoundException;
import io.sluice.core.service.RestartRequest;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.status.TaskStatus;
import io.sluice.worker.store.ConfigStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Restarts of connectors and tasks, asked through the REST API or due after a failure. On a single
 * worker they happen here at once; in a cluster a request is written to the config topic and each
 * worker restarts the part it runs ({@link AssignmentSync} calls {@link #restartHere}).
 *
 * <p>Called with the runtime's lock held (every caller is a synchronized method of
 * {@link ConnectorRuntime}).
 */
final class Restarts {

    private final ConnectorRuntime runtime;

    Restarts(ConnectorRuntime runtime) {
        this.runtime = runtime;
    }

    void restart(RestartRequest request) {
        ConnectorHost host = runtime.require(request.connector());
        if (runtime.clustered()) {
            runtime.configs.putRestart(
                    host.name,
                    new ConfigStore.Restart(
                            java.util.UUID.randomUUID().toString(),
                            null,
                            request.onlyFailed(),
                            request.includeTasks()));
            return; // every worker restarts what it runs (AssignmentSync)
        }
        restartHere(request);
    }

    /** Restarts what the request names that runs on this worker. */
    void restartHere(RestartRequest request) {
        ConnectorHost host = runtime.require(request.connector());
        boolean connectorFailed = runtime.status
                .connector(host.name)
                .map(s -> s.state() == State.FAILED)
                .orElse(false);
        boolean restartConnector = (!request.onlyFailed() || connectorFailed)
                && runtime.ownership.connectorEpoch(host.name).isPresent();
        List<Integer> restartTasks = new ArrayList<>();
        if (request.includeTasks()) {
            for (TaskStatus t : runtime.status.tasksOf(host.name)) {
                if ((!request.onlyFailed() || t.state() == State.FAILED)
                        && runtime.ownership.taskEpoch(t.id()).isPresent()) {
                    restartTasks.add(t.id().task());
                }
            }
        }
        if (restartConnector) {
            runtime.status.connector(host.name, State.RESTARTING, null);
        }
        restartTasks.forEach(i -> runtime.status.task(new TaskId(host.name, i), State.RESTARTING, null));
        if (restartConnector) {
            host.stopConnector();
            runtime.startConnectorInstance(host);
        }
        for (int i : restartTasks) {
            restartTask(new TaskId(host.name, i), "restart requested");
        }
    }

    void restartTask(TaskId id, String reason) {
        ConnectorHost host = runtime.require(id.connector());
        List<Map<String, String>> taskConfigs = runtime.configs.taskConfigs(host.name);
        if (id.task() < 0 || id.task() >= taskConfigs.size()) {
            throw new NotFoundException("Task " + id + " not found");
        }
        if (runtime.clustered() && runtime.ownership.taskEpoch(id).isEmpty()) {
            runtime.configs.putRestart(
                    host.name,
                    new ConfigStore.Restart(java.util.UUID.randomUUID().toString(), id.task(), false, false));
            return; // its worker restarts it (AssignmentSync)
        }
        runtime.status.history(id).recordRequested(java.time.Instant.now(), reason);
        runtime.status.restarted(id, false);
        runtime.stopTask(host, id.task());
        runtime.startTask(host, id.task(), taskConfigs);
    }

    /** Called by the supervisor when an automatic restart is due. */
    void autoRestart(TaskId id) {
        ConnectorHost host = runtime.hosts.get(id.connector());
        if (host == null || host.target == TargetState.STOPPED) {
            return;
        }
        boolean stillFailed =
                runtime.status.task(id).map(s -> s.state() == State.FAILED).orElse(false);
        List<Map<String, String>> taskConfigs = runtime.configs.taskConfigs(host.name);
        if (!stillFailed || id.task() >= taskConfigs.size()) {
            return;
        }
        runtime.status.task(id, State.RESTARTING, null);
        runtime.stopTask(host, id.task());
        runtime.startTask(host, id.task(), taskConfigs);
    }
}
