package io.sluice.core.status;

/** The state a user asked a connector to be in. Immutable. */
public enum TargetState {
    STARTED,
    PAUSED,
    /** Stopped: tasks shut down and their configs removed, offsets kept (Kafka's KIP-875). */
    STOPPED
}
