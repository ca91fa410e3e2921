package io.sluice.worker.runtime;

import io.sluice.core.config.RestartConfig;
import io.sluice.core.status.RestartPolicy;
import io.sluice.core.status.Retrying;
import io.sluice.core.status.State;
import io.sluice.core.status.TaskId;
import io.sluice.worker.task.TaskListener;
import io.sluice.worker.task.TaskRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives task state changes from task threads, records them, and schedules automatic restarts of
 * FAILED tasks with exponential backoff per {@code sluice.restart.*} (connector settings over worker
 * defaults). Reports from a runner that has been replaced are ignored.
 *
 * <p>Threading: called from task threads and the control thread; never waits for the control loop
 * (a due restart is queued on it).
 */
final class TaskSupervisor implements TaskListener {

    private static final Logger LOG = LoggerFactory.getLogger(TaskSupervisor.class);

    private final StatusTracker status;
    private final ConnectorHosting hosting;
    private final ControlLoop control;
    private final Consumer<TaskId> restart;

    /** @param restart restarts a task whose automatic restart is due; run on the control loop */
    TaskSupervisor(StatusTracker status, ConnectorHosting hosting, ControlLoop control, Consumer<TaskId> restart) {
        this.status = status;
        this.hosting = hosting;
        this.control = control;
        this.restart = restart;
    }

    @Override
    public void onStateChange(TaskRunner runner, State state) {
        if (hosting.isCurrent(runner.id(), runner)) {
            status.task(runner.id(), state, null);
        }
    }

    @Override
    public void onFailure(TaskRunner runner, Throwable cause) {
        if (hosting.isCurrent(runner.id(), runner)) {
            failed(runner.id(), cause);
        }
    }

    @Override
    public void onRetrying(TaskRunner runner, Retrying retrying) {
        if (hosting.isCurrent(runner.id(), runner)) {
            status.retrying(runner.id(), retrying);
        }
    }

    /** The task could not even be created or started. */
    void failedToStart(TaskId id, Throwable cause) {
        failed(id, cause);
    }

    private void failed(TaskId id, Throwable cause) {
        status.task(id, State.FAILED, cause);
        ConnectorHost host = hosting.host(id.connector());
        if (host == null) {
            return;
        }
        RestartConfig config = RestartConfig.from(hosting.withDefaults(host.config()));
        Optional<Duration> delay =
                new RestartPolicy(config).nextRestart(status.history(id), status.startedAt(id), Instant.now());
        if (delay.isEmpty()) {
            LOG.warn("Task {} failed and will not be restarted automatically", id);
            return;
        }
        LOG.info("Task {} failed; restarting it in {} ms", id, delay.get().toMillis());
        control.schedule(
                () -> {
                    status.history(id).recordAutomatic(Instant.now(), rootMessage(cause));
                    status.restarted(id, true);
                    restart.accept(id);
                },
                delay.get().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
