package io.sluice.core.status;

import java.util.List;
import java.util.Objects;

/**
 * The last reported state of a task. Immutable.
 *
 * @param workerId the worker running it, or null while unassigned
 * @param trace the failure's stack trace when FAILED, else null
 * @param generation the cluster assignment generation that produced this status
 * @param restarts the task's recent restarts (automatic and requested), oldest first
 * @param retrying while a RUNNING task retries a transient failure, the error and since when; else null
 */
public record TaskStatus(
        TaskId id,
        State state,
        String workerId,
        String trace,
        int generation,
        List<RestartEvent> restarts,
        Retrying retrying) {

    public TaskStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        restarts = restarts == null ? List.of() : List.copyOf(restarts);
    }

    public TaskStatus(TaskId id, State state, String workerId, String trace, int generation) {
        this(id, state, workerId, trace, generation, List.of(), null);
    }

    public TaskStatus withRestarts(List<RestartEvent> events) {
        return new TaskStatus(id, state, workerId, trace, generation, events, retrying);
    }

    public TaskStatus withRetrying(Retrying now) {
        return new TaskStatus(id, state, workerId, trace, generation, restarts, now);
    }
}
