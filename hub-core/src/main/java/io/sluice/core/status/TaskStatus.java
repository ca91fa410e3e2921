package io.sluice.core.status;

import java.util.Objects;

/**
 * The last reported state of a task. Immutable.
 *
 * @param workerId the worker running it, or null while unassigned
 * @param trace the failure's stack trace when FAILED, else null
 * @param generation the cluster assignment generation that produced this status
 */
public record TaskStatus(TaskId id, State state, String workerId, String trace, int generation) {

    public TaskStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }
}
