/**
 * The hub's own partitioned log: topics, partitions, appends, fetches, recovery, retention and
 * compaction on one node. Knows nothing of connectors. Replication
 * ({@link io.sluice.log.replication}) drives it through {@link io.sluice.log.PartitionLog#appendBatches},
 * {@link io.sluice.log.PartitionLog#commitTo} and {@link io.sluice.log.PartitionLog#discardFrom} with
 * {@code autoCommit=false}.
 */
package io.sluice.log;
