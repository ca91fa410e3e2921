package io.sluice.worker.task;

import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The life of one task on its own thread, as a template: {@link #start()} once, then
 * {@link #iterate()} until stopped, parking while paused, then {@link #shutdown()}. Subclasses fill
 * the hooks; the loop itself never branches on the task kind.
 *
 * <p>Threading: {@link #run()} is the task thread. {@link #setTarget}, {@link #requestStop()} and
 * {@link #awaitStopped} are called from the runtime's threads.
 */
public abstract class TaskRunner implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    private static final long RETRYING_REPORT_MS = 10_000;
    private static final int MAX_ERROR_LENGTH = 1000;

    protected final TaskId id;
    private final TaskListener listener;
    private final Object control = new Object();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile TargetState target;
    private volatile boolean stopping;
    private volatile Thread thread;
    private volatile long epoch;
    /** The state last reported to the listener (task thread only). */
    private State reported;
    /** The transient failure being retried and when it was last reported, or null (task thread only). */
    private io.sluice.core.status.Retrying retrying;

    private long retryingReportedAt;

    protected TaskRunner(TaskId id, TargetState initialTarget, TaskListener listener) {
        this.id = id;
        this.target = initialTarget;
        this.listener = listener;
    }

    /**
     * Sets the epoch of the assignment this runner works under (0 on a single worker), before it
     * starts. Appends and offset commits can carry it so a log can fence a worker that lost the task.
     */
    public final void assignEpoch(long epoch) {
        this.epoch = epoch;
    }

    /** The epoch of the assignment this runner works under. */
    public final long epoch() {
        return epoch;
    }

    /** This task under its assignment, as its offset commits name it (so a stale one can be refused). */
    protected final io.sluice.worker.store.TaskEpoch writer() {
        return new io.sluice.worker.store.TaskEpoch(id.connector(), id.task(), epoch);
    }

    @Override
    public final void run() {
        thread = Thread.currentThread();
        try (MDC.MDCCloseable c = MDC.putCloseable("connector", id.connector());
                MDC.MDCCloseable t = MDC.putCloseable("task", Integer.toString(id.task()))) {
            execute();
        } finally {
            stopped.countDown();
        }
    }

    private void execute() {
        boolean failed = false;
        try {
            start();
            LOG.info("Task {} started", id);
            while (!stopping) {
                State now = target == TargetState.PAUSED ? State.PAUSED : State.RUNNING;
                report(now);
                if (now == State.PAUSED) {
                    parkWhilePaused();
                } else {
                    iterate();
                }
            }
        } catch (InterruptedException e) {
            if (!stopping) {
                failed = true;
                listener.onFailure(this, e);
            }
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failed = true;
            Throwable fence = fencing(e);
            if (fence != null) {
                // another worker runs this task under a newer assignment: stop without failing or restarting
                LOG.warn("Task {} stops: it was fenced by a newer assignment ({})", id, fence.getMessage());
            } else {
                LOG.error("Task {} failed", id, e);
                listener.onFailure(this, e);
            }
        } finally {
            shutdownQuietly(!failed);
        }
    }

    /**
     * The {@link io.sluice.log.replication.StaleEpochException} (a fenced append) or
     * {@link io.sluice.worker.store.FencedWriteException} (a fenced offset commit) in {@code e}'s causes,
     * else null.
     */
    private static Throwable fencing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.sluice.log.replication.StaleEpochException
                    || t instanceof io.sluice.worker.store.FencedWriteException) {
                return t;
            }
        }
        return null;
    }

    private void shutdownQuietly(boolean clean) {
        try {
            Thread.interrupted();
            shutdown(clean);
            LOG.info("Task {} stopped", id);
        } catch (Throwable e) {
            LOG.warn("Task {} did not stop cleanly: {}", id, e.toString());
        }
    }

    /**
     * Says the task could not make progress for a transient reason and will try again: the status
     * shows the error and since when it fails. The first failure is reported at once, later ones
     * only when the error changed and at most every {@link #RETRYING_REPORT_MS}. Task thread only.
     */
    protected final void retryingAfter(Throwable failure) {
        long now = System.currentTimeMillis();
        String error = describe(failure);
        if (retrying == null) {
            retrying = new io.sluice.core.status.Retrying(error, java.time.Instant.ofEpochMilli(now));
        } else if (!retrying.error().equals(error) && now - retryingReportedAt >= RETRYING_REPORT_MS) {
            retrying = new io.sluice.core.status.Retrying(error, retrying.since());
        } else {
            return;
        }
        retryingReportedAt = now;
        listener.onRetrying(this, retrying);
    }

    /** Says the task made progress again after {@link #retryingAfter}; a no-op otherwise. Task thread only. */
    protected final void progressed() {
        if (retrying != null) {
            LOG.info("Task {} makes progress again after failing since {}", id, retrying.since());
            retrying = null;
            listener.onRetrying(this, null);
        }
    }

    /** One line: the exception, and its root cause when that is another one. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.toString();
        if (root != failure) {
            text += "; caused by " + root;
        }
        text = text.replaceAll("\\s+", " ");
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    /** Reports {@code now} to the listener when it differs from the state last reported. */
    private void report(State now) throws Exception {
        if (now != reported) {
            retrying = null;
            listener.onStateChange(this, now);
            reported = now;
            if (now == State.PAUSED) {
                onPause();
            }
        }
    }

    /**
     * For a long wait inside {@link #iterate()} (retrying an append the log cannot take yet): when a
     * pause was asked meanwhile, reports PAUSED, parks until resumed, then reports RUNNING again.
     * Task thread only.
     *
     * @return false when the task is being stopped
     */
    protected final boolean holdWhilePaused() throws Exception {
        if (target == TargetState.PAUSED && !stopping) {
            report(State.PAUSED);
            parkWhilePaused();
        }
        if (!stopping) {
            report(State.RUNNING);
        }
        return !stopping;
    }

    private void parkWhilePaused() throws InterruptedException {
        synchronized (control) {
            while (target == TargetState.PAUSED && !stopping) {
                control.wait(1000);
            }
        }
    }

    /** Changes the target state (RUNNING or PAUSED) of a running task. */
    public void setTarget(TargetState newTarget) {
        synchronized (control) {
            target = newTarget;
            control.notifyAll();
        }
        wakeUp();
    }

    /** Asks the task to stop; returns at once. The loop ends after its current iteration. */
    public void requestStop() {
        stopping = true;
        synchronized (control) {
            control.notifyAll();
        }
        wakeUp();
    }

    /** Waits for the task thread to finish; if it does not in time, interrupts it and waits a little more. */
    public boolean awaitStopped(long timeoutMs) throws InterruptedException {
        if (stopped.await(timeoutMs, TimeUnit.MILLISECONDS)) {
            return true;
        }
        Thread t = thread;
        if (t != null) {
            LOG.warn("Task {} did not stop within {} ms; interrupting it", id, timeoutMs);
            t.interrupt();
        }
        return stopped.await(Math.min(timeoutMs, 5000), TimeUnit.MILLISECONDS);
    }

    public TaskId id() {
        return id;
    }

    protected boolean isStopping() {
        return stopping;
    }

    /** Initialises and starts the connector's task. Throwing fails the task. */
    protected abstract void start() throws Exception;

    /** One unit of work; must return regularly (within a second or so) so control changes are seen. */
    protected abstract void iterate() throws Exception;

    /** Called once each time the task becomes paused. */
    protected void onPause() throws Exception {}

    /** Unblocks a blocked {@link #iterate()} where the task kind can (e.g. a waiting fetch). */
    protected void wakeUp() {}

    /** Stops the connector's task; {@code clean} is false after a failure (no final offset commit). */
    protected abstract void shutdown(boolean clean) throws Exception;
}
