package io.sluice.log.replication;

/**
 * One replica of a partition as its node reports it.
 *
 * @param nodeId the node holding the replica
 * @param reachable whether the node answered
 * @param leader whether it is the partition's leader now
 * @param appliedIndex the last Raft index its partition log holds (-1 when unreachable)
 * @param lag Raft entries (appended batches) it is behind the leader; -1 when unknown
 */
public record ReplicaStatus(String nodeId, boolean reachable, boolean leader, long appliedIndex, long lag) {}
