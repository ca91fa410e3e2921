package io.sluice.worker.runtime;

import io.sluice.core.status.TaskId;
import io.sluice.worker.task.TaskRunner;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads tasks run on: starts a runner on its own daemon thread, and stops runners by asking
 * them all first and then waiting for each (interrupting one that overruns the shutdown timeout).
 * Thread-safe; stopping blocks the caller for at most the timeout per runner.
 */
final class TaskThreads implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskThreads.class);

    private final long shutdownTimeoutMs;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    });

    TaskThreads(long shutdownTimeoutMs) {
        this.shutdownTimeoutMs = shutdownTimeoutMs;
    }

    void launch(TaskId id, TaskRunner runner) {
        threads.execute(() -> {
            Thread.currentThread().setName("task-" + id);
            try {
                runner.run();
            } finally {
                // a pooled thread outlives its task: thread dumps must not show the task as running
                Thread.currentThread().setName("task-idle");
            }
        });
    }

    /** Stops {@code runner}; returns whether it stopped in time. */
    boolean stop(TaskRunner runner) {
        return !stopAll(List.of(runner)).isEmpty();
    }

    /**
     * Asks every runner to stop, then waits for each: they wind down in parallel.
     *
     * @return the runners that stopped (a runner still running after the timeout is not among them)
     */
    List<TaskRunner> stopAll(Collection<TaskRunner> runners) {
        runners.forEach(TaskRunner::requestStop);
        List<TaskRunner> stopped = new java.util.ArrayList<>();
        for (TaskRunner runner : runners) {
            try {
                if (runner.awaitStopped(shutdownTimeoutMs)) {
                    stopped.add(runner);
                } else {
                    LOG.warn(
                            "Task {} is still running after {} ms; abandoning its thread",
                            runner.id(),
                            shutdownTimeoutMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return stopped;
            }
        }
        return stopped;
    }

    @Override
    public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(shutdownTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
