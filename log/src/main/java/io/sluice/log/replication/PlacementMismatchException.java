package io.sluice.log.replication;

import java.util.List;

/**
 * {@link ReplicationClient#ensurePartition} was given other replicas than the partition's Raft group
 * has: it was moved ({@link ReplicationClient#reassign}) and the caller's placement is out of date, or
 * the caller computed a different placement. The group is left as it is.
 */
public final class PlacementMismatchException extends IllegalArgumentException {

    private final List<String> current;

    PlacementMismatchException(String message, List<String> current) {
        super(message);
        this.current = List.copyOf(current);
    }

    /** The members the group has now. */
    public List<String> current() {
        return current;
    }
}
