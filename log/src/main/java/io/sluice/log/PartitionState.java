package io.sluice.log;

/** Whether a partition can be read and appended to. */
public enum PartitionState {
    /** Every stored record can be read. */
    ONLINE,
    /**
     * One or more {@linkplain DamagedRange ranges} of closed segments are damaged: records outside them
     * are readable and appends continue at the end; a fetch that reaches a damaged range fails naming
     * it. Retention and compaction pause until it is repaired.
     */
    DAMAGED,
    /** Nothing can be read or appended: every call fails naming the reason. */
    OFFLINE
}
