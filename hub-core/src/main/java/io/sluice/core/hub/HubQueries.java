package io.sluice.core.hub;

import java.util.List;
import java.util.function.Consumer;

/**
 * What the hub's own REST endpoints ({@code /hub/...}) read from the runtime. Read-only: nothing
 * here changes a connector, a topic or an offset.
 *
 * <p>Every method may be called from any request thread concurrently. Failures are reported as
 * {@link io.sluice.core.service.NotFoundException} for an unknown topic, partition or connector and
 * {@link io.sluice.core.service.BadRequestException} for an out-of-range argument.
 */
public interface HubQueries {

    /**
     * The cluster's id, stable across restarts; {@code GET /} reports it as {@code kafka_cluster_id}
     * (Sluice has no Kafka cluster, so the id is its own).
     */
    String clusterId();

    /** The workers of the cluster, this one included, sorted by id. */
    List<WorkerInfo> workers();

    /** Every topic of the log with its partitions, sorted by name; internal topics included. */
    List<TopicInfo> topics();

    /**
     * In a cluster, every replicated partition with its leader and replicas' lag; on a single worker,
     * empty.
     */
    default List<ReplicationInfo> replication() {
        return List.of();
    }

    /**
     * Queues a move of one replicated partition to the workers {@code replicas} (preferred leader
     * first): the new replicas copy the data before the old ones are dropped. Returns at once.
     *
     * @throws IllegalArgumentException naming the topic, partition or worker id that is wrong
     */
    default ReplicaMove reassign(String topic, int partition, List<Integer> replicas) {
        throw new IllegalStateException("replicas can only move in a cluster");
    }

    /** Plans a fair placement of every partition over the current workers and queues the moves. */
    default List<ReplicaMove> rebalanceReplicas() {
        throw new IllegalStateException("replicas can only move in a cluster");
    }

    /** One topic with its partitions. */
    TopicInfo topic(String name);

    /**
     * Records of one partition from {@code offset} on, at most {@code maxRecords} of them, decoded
     * for reading. An offset below the log start is answered from the log start.
     */
    PartitionRecords records(String topic, int partition, long offset, int maxRecords);

    /**
     * Repairs a damaged partition of this worker's log (see {@link PartitionRepair.Mode}).
     *
     * @throws io.sluice.core.service.NotFoundException no such topic or partition
     * @throws io.sluice.core.service.ConflictException the partition is not damaged, or the mode is not
     *     available for it; the message names the partition and its state
     */
    default PartitionRepair repair(String topic, int partition, PartitionRepair.Mode mode) {
        throw new io.sluice.core.service.ConflictException("Repairing partitions is not supported here");
    }

    /** Throughput and lag of every connector, sorted by name. */
    List<ConnectorRates> rates();

    /** Throughput and lag of one connector. */
    ConnectorRates rates(String connector);

    /**
     * Per task and partition, how far a sink connector's tasks running on this worker are behind,
     * sorted by task, topic and partition; empty for a source or while no task measured it.
     */
    default List<PartitionLag> lag(String connector) {
        return List.of();
    }

    /**
     * Snapshot progress of a CDC connector (Debezium) running on this worker; empty for other
     * connectors or when no snapshot information is available.
     */
    java.util.Optional<SnapshotInfo> snapshot(String connector);

    /**
     * A Postgres CDC connector's replication slot, measured now (blocks for one query on its
     * database); empty for other connectors or when the slot cannot be read.
     */
    java.util.Optional<io.sluice.core.status.ReplicationSlotStatus> replicationSlot(String connector);

    /** Per-task throughput and lag of a connector over the last few minutes (for small charts). */
    List<TaskSeries> history(String connector);

    /**
     * Calls {@code listener} with each connector or task state change from now on, on a thread of
     * the implementation's; the listener must not block. Closing the returned handle unsubscribes;
     * closing twice is harmless.
     */
    Subscription subscribe(Consumer<StateChange> listener);

    /** A registered state-change listener; {@link #close()} is idempotent and never throws. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
