package io.sluice.core.status;

/** The observed state of a connector or task, as Kafka Connect's REST API reports it. Immutable. */
public enum State {
    /** Not yet assigned to a worker, or its worker left. */
    UNASSIGNED,
    RUNNING,
    PAUSED,
    STOPPED,
    /** Failed; the status carries the trace. */
    FAILED,
    /** Being restarted, by request or by the automatic restart policy. */
    RESTARTING
}
