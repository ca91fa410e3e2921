package io.sluice.core.hub;

import io.sluice.core.status.State;
import java.time.Instant;

/**
 * A connector or task moved to another state, or was removed ({@code state} null). Immutable.
 *
 * @param task the task index, or null for the connector itself
 */
public record StateChange(Instant at, String connector, Integer task, State state, String workerId) {

    /** {@code connector} or {@code task}. */
    public String kind() {
        return task == null ? "connector" : "task";
    }
}
