/**
 * Partition replication through Apache Ratis (Raft). {@link io.sluice.log.replication.ReplicaNode}
 * runs one Raft server per process hosting one Raft group per replicated partition (plus any group
 * the caller registers, such as the cluster metadata group);
 * {@link io.sluice.log.replication.ReplicationClient} appends, fences and fetches from any process.
 * A partition's state machine applies committed entries (record batches) to the node's local
 * {@link io.sluice.log.Log}, so readers only ever see records a majority has acknowledged. Depends on
 * {@code io.sluice.log} and Ratis only.
 */
package io.sluice.log.replication;
