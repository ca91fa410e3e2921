package io.sluice.worker.task;

import io.sluice.core.status.State;

/** Receives a task's state changes; called from the task's own thread. Implementations are thread-safe. */
public interface TaskListener {

    void onStateChange(TaskRunner runner, State state);

    /** The task failed; {@code cause} is what stopped it. */
    void onFailure(TaskRunner runner, Throwable cause);

    /**
     * The running task retries a transient failure ({@code retrying} says which and since when), or
     * makes progress again ({@code retrying} is null).
     */
    default void onRetrying(TaskRunner runner, io.sluice.core.status.Retrying retrying) {}
}
