package io.sluice.core.status;

import java.util.Objects;

/**
 * The last reported state of a connector instance. Immutable.
 *
 * @param workerId the worker running it, or null while unassigned
 * @param trace the failure's stack trace when FAILED, else null
 * @param generation the cluster assignment generation that produced this status; a status from an
 *     older generation must not overwrite a newer one
 */
public record ConnectorStatus(String connector, State state, String workerId, String trace, int generation) {

    public ConnectorStatus {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(state, "state");
    }
}
