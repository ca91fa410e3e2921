package io.sluice.core.hub;

import java.util.List;

/**
 * One replicated partition of a cluster's log: its leader and each replica's progress. Immutable.
 *
 * @param leader the node id of the partition's leader, null when it has none right now
 * @param replicas in placement order (the first is the preferred leader)
 * @param reassigning the move of its replicas queued or under way, null when none
 */
public record ReplicationInfo(
        String topic, int partition, String leader, List<Replica> replicas, ReplicaMove reassigning) {

    public ReplicationInfo {
        replicas = List.copyOf(replicas);
    }

    /** A partition no move is under way for. */
    public ReplicationInfo(String topic, int partition, String leader, List<Replica> replicas) {
        this(topic, partition, leader, replicas, null);
    }

    /**
     * One replica.
     *
     * @param appliedIndex the last Raft entry it applied to its copy of the partition
     * @param lag Raft entries (appended batches) behind the leader, -1 when unknown (unreachable)
     */
    public record Replica(String nodeId, boolean reachable, boolean leader, long appliedIndex, long lag) {}
}
