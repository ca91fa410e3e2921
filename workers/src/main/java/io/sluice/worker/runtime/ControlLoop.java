package io.sluice.worker.runtime;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's one control thread: every change to what this worker hosts (REST writes, changes of
 * the stored configs and of the assignment, restarts) runs here, one at a time, so the hosted
 * connectors have a single owner and need no lock. Reads never go through it: they use the stores
 * and the hosts' published state, so a status read never waits behind a task that is stopping.
 *
 * <p>Threading: {@link #call} blocks the caller until its work has run (at once when the caller is
 * the control thread itself); {@link #execute} and {@link #schedule} return at once. Work that throws
 * from {@link #execute} or {@link #schedule} is logged and the loop goes on.
 */
final class ControlLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlLoop.class);

    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    ControlLoop(String name) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    /** Whether the caller runs on the control thread. */
    boolean isControlThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code work} on the control thread and returns its result; its exceptions reach the caller. */
    <T> T call(Supplier<T> work) {
        if (isControlThread()) {
            return work.get();
        }
        Future<T> result = executor.submit(work::get);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the worker's control loop", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("The worker is shutting down", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Runs {@code work} on the control thread and waits for it. */
    void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /** Queues {@code work} for the control thread. */
    void execute(Runnable work) {
        schedule(work, 0, TimeUnit.MILLISECONDS);
    }

    /** Queues {@code work} for the control thread after {@code delay}. */
    void schedule(Runnable work, long delay, TimeUnit unit) {
        if (executor.isShutdown()) {
            return;
        }
        try {
            executor.schedule(() -> runLogged(work), delay, unit);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            LOG.debug("Control loop is shut down; dropped {}", work);
        }
    }

    /** Runs {@code work} on the control thread every {@code period}, first after {@code initialDelay}. */
    void scheduleWithFixedDelay(Runnable work, long initialDelay, long period, TimeUnit unit) {
        executor.scheduleWithFixedDelay(() -> runLogged(work), initialDelay, period, unit);
    }

    private static void runLogged(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Control work failed; the loop goes on", e);
        }
    }

    /** Stops the loop; queued work is dropped. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
