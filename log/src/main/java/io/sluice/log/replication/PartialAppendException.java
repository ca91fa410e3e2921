package io.sluice.log.replication;

import io.sluice.log.AppendResult;
import io.sluice.log.TopicPartition;

/**
 * An append too large for one Raft entry was sent as several entries, and one failed after the
 * earlier ones were acknowledged: the first {@link #acknowledgedRecords()} records of the append are
 * stored (at {@link #acknowledged()}), the failed entry may or may not be, the rest is not. Sending
 * only the records from {@code acknowledgedRecords()} on completes the append with nothing lost or
 * reordered (the failed entry's records may then be stored twice); sending the whole append again
 * stores the acknowledged records twice.
 */
public final class PartialAppendException extends ReplicationException {

    private final transient TopicPartition partition;
    private final int acknowledgedRecords;
    private final transient AppendResult acknowledged;

    PartialAppendException(
            TopicPartition partition,
            int acknowledgedRecords,
            AppendResult acknowledged,
            int entries,
            int acknowledgedEntries,
            Throwable cause) {
        super(
                "append to " + partition + " failed after " + acknowledgedEntries + " of its " + entries
                        + " Raft entries (" + acknowledgedRecords + " records, offsets " + acknowledged.baseOffset()
                        + ".." + acknowledged.lastOffset() + ") were stored: " + cause,
                cause);
        this.partition = partition;
        this.acknowledgedRecords = acknowledgedRecords;
        this.acknowledged = acknowledged;
    }

    public TopicPartition partition() {
        return partition;
    }

    /** How many records, from the first, are stored. */
    public int acknowledgedRecords() {
        return acknowledgedRecords;
    }

    /** The offsets of the stored records. */
    public AppendResult acknowledged() {
        return acknowledged;
    }
}
