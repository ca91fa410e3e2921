/**
 * The hub's own partitioned log: topics, partitions, appends, fetches, recovery, retention and
 * compaction on one node. Knows nothing of connectors. Replication drives it through
 * {@link io.sluice.log.PartitionLog#appendBatches}, {@link io.sluice.log.PartitionLog#truncateTo} and
 * {@link io.sluice.log.PartitionLog#commitTo} with {@code autoCommit=false}.
 */
package io.sluice.log;
