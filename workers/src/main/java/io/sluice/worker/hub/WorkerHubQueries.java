package io.sluice.worker.hub;

import io.sluice.core.hub.ConnectorRates;
import io.sluice.core.hub.HubQueries;
import io.sluice.core.hub.PartitionRecords;
import io.sluice.core.hub.PartitionRepair;
import io.sluice.core.hub.StateChange;
import io.sluice.core.hub.TopicInfo;
import io.sluice.core.hub.WorkerInfo;
import io.sluice.core.service.ConnectorStateInfo;
import io.sluice.core.service.NotFoundException;
import io.sluice.log.Log;
import io.sluice.log.PartitionLog;
import io.sluice.log.UnknownTopicException;
import io.sluice.worker.runtime.WorkerConnectorService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The worker's {@link HubQueries}: topics and records straight from the log (in a cluster, the
 * cluster's replicated topics through {@link ClusterTopics}, the same on every worker), rates from the task meters, workers and state changes
 * from the connector service. This worker is the whole cluster until workers form one. Thread-safe.
 */
public final class WorkerHubQueries implements HubQueries {

    private final String clusterId;
    private final Instant startedAt = Instant.now();
    private final WorkerConnectorService connectors;
    private final Log log;
    private final RateSampler rates;
    private final StateChangeFeed changes;
    private final TaskHistory history;
    private io.sluice.worker.cluster.ClusterNode cluster;
    private ClusterTopics replicated;

    WorkerHubQueries(
            String clusterId,
            WorkerConnectorService connectors,
            Log log,
            RateSampler rates,
            StateChangeFeed changes,
            TaskHistory history) {
        this.clusterId = clusterId;
        this.connectors = connectors;
        this.log = log;
        this.rates = rates;
        this.changes = changes;
        this.history = history;
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    /** Shows the cluster's workers instead of this one alone. */
    void showCluster(io.sluice.worker.cluster.ClusterNode node) {
        this.cluster = node;
        this.replicated = new ClusterTopics(node);
    }

    @Override
    public List<WorkerInfo> workers() {
        if (cluster != null) {
            return ClusterWorkers.of(cluster, version(), startedAt);
        }
        int connectorCount = 0;
        int taskCount = 0;
        for (String name : connectors.connectorNames()) {
            try {
                ConnectorStateInfo status = connectors.connectorStatus(name);
                connectorCount++;
                taskCount += status.tasks().size();
            } catch (NotFoundException deletedMeanwhile) {
                // not counted
            }
        }
        return List.of(
                new WorkerInfo(connectors.workerId(), "RUNNING", version(), startedAt, connectorCount, taskCount));
    }

    private static String version() {
        String version = WorkerHubQueries.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    @Override
    public List<io.sluice.core.hub.ReplicationInfo> replication() {
        if (cluster == null) {
            return List.of();
        }
        io.sluice.log.replication.ReplicaNode node = cluster.replicaNode();
        java.util.Map<
                        io.sluice.worker.cluster.ReplicaPlanner.PartitionId,
                        io.sluice.worker.cluster.ReplicaBalancer.Move>
                moves = cluster.replicaBalancer().moving();
        List<io.sluice.core.hub.ReplicationInfo> out = new java.util.ArrayList<>();
        for (java.util.Map.Entry<String, Integer> topic : replicated.names().entrySet()) {
            for (int p = 0; p < topic.getValue(); p++) {
                try {
                    io.sluice.log.replication.PartitionStatus st = node.status(topic.getKey(), p);
                    io.sluice.worker.cluster.ReplicaBalancer.Move move =
                            moves.get(new io.sluice.worker.cluster.ReplicaPlanner.PartitionId(topic.getKey(), p));
                    out.add(new io.sluice.core.hub.ReplicationInfo(
                            topic.getKey(),
                            p,
                            st.leader().orElse(null),
                            st.replicas().stream()
                                    .map(r -> new io.sluice.core.hub.ReplicationInfo.Replica(
                                            r.nodeId(), r.reachable(), r.leader(), r.appliedIndex(), r.lag()))
                                    .toList(),
                            move == null
                                    ? null
                                    : new io.sluice.core.hub.ReplicaMove(topic.getKey(), p, move.from(), move.to())));
                } catch (RuntimeException e) {
                    // not replicated (yet) or no answer: left out
                }
            }
        }
        return out;
    }

    @Override
    public io.sluice.core.hub.ReplicaMove reassign(String topic, int partition, List<Integer> replicas) {
        if (cluster == null) {
            throw new IllegalStateException("replicas can only move in a cluster; this worker runs alone");
        }
        io.sluice.worker.cluster.ReplicaBalancer.Move move =
                cluster.replicaBalancer().reassign(topic, partition, replicas);
        return new io.sluice.core.hub.ReplicaMove(topic, partition, move.from(), move.to());
    }

    @Override
    public List<io.sluice.core.hub.ReplicaMove> rebalanceReplicas() {
        if (cluster == null) {
            throw new IllegalStateException("replicas can only move in a cluster; this worker runs alone");
        }
        java.util.SortedMap<Integer, String> members = new java.util.TreeMap<>();
        cluster.peers().forEach(p -> members.put(p.id(), p.address()));
        List<io.sluice.core.hub.ReplicaMove> out = new ArrayList<>();
        cluster.replicaBalancer()
                .membersChanged(members)
                .forEach((id, m) ->
                        out.add(new io.sluice.core.hub.ReplicaMove(id.topic(), id.partition(), m.from(), m.to())));
        return out;
    }

    /**
     * On a single worker, the topics of its log. In a cluster, the cluster's replicated topics (see
     * {@link ClusterTopics}), the same on every worker, beside this worker's own copies of the internal
     * topics (configs, statuses, offsets), in name order.
     */
    @Override
    public List<TopicInfo> topics() {
        List<TopicInfo> out = new ArrayList<>();
        java.util.Collection<String> names = log.topics();
        if (cluster != null) {
            out.addAll(replicated.all());
            java.util.Set<String> listed = new java.util.HashSet<>();
            out.forEach(t -> listed.add(t.name()));
            names = new java.util.TreeSet<>(names);
            names.removeAll(listed);
        }
        for (String name : names) {
            try {
                out.add(localTopic(name));
            } catch (NotFoundException deletedMeanwhile) {
                // left out
            }
        }
        if (cluster != null) {
            out.sort(java.util.Comparator.comparing(TopicInfo::name));
        }
        return out;
    }

    @Override
    public TopicInfo topic(String name) {
        if (cluster != null && replicated.knows(name)) {
            return replicated.topic(name);
        }
        return localTopic(name);
    }

    private TopicInfo localTopic(String name) {
        List<TopicInfo.PartitionInfo> partitions = new ArrayList<>();
        for (PartitionLog p : partitionsOf(name)) {
            partitions.add(PartitionStates.info(p));
        }
        return new TopicInfo(name, name.startsWith("__"), partitions);
    }

    @Override
    public PartitionRecords records(String topic, int partition, long offset, int maxRecords) {
        if (cluster != null && replicated.knows(topic)) {
            return replicated.records(topic, partition, offset, maxRecords);
        }
        List<PartitionLog> partitions = partitionsOf(topic);
        if (partition < 0 || partition >= partitions.size()) {
            throw new NotFoundException(
                    "Topic " + topic + " has no partition " + partition + " (it has " + partitions.size() + ")");
        }
        return RecordPages.page(topic, partition, offset, maxRecords, partitions.get(partition)::fetch);
    }

    @Override
    public PartitionRepair repair(String topic, int partition, PartitionRepair.Mode mode) {
        java.util.function.Supplier<List<io.sluice.log.RepairResult>> recopy = null;
        if (cluster != null && cluster.replicaNode().log().topicConfig(topic).isPresent()) {
            recopy = () -> cluster.replicaNode().repairByCopy(topic, partition);
        }
        return PartitionStates.repair(topic, partition, partitionsOf(topic), mode, recopy);
    }

    /**
     * The local partitions of {@code topic}: in a cluster, data topics are this worker's replicas of
     * the replicated partitions; internal topics live in the worker's own log.
     */
    private List<PartitionLog> partitionsOf(String topic) {
        Log source = log;
        if (cluster != null && cluster.replicaNode().log().topicConfig(topic).isPresent()) {
            source = cluster.replicaNode().log();
        }
        try {
            return source.partitionsOf(topic);
        } catch (UnknownTopicException e) {
            if (cluster != null && cluster.knowsTopic(topic)) {
                throw new io.sluice.core.service.UnavailableException("Topic " + topic + " is replicated in the"
                        + " cluster, but this worker has no open replica of it (it is starting or catching up, or"
                        + " holds no replica of this topic): ask again in a few seconds, or ask a worker that holds"
                        + " one (GET /hub/replication lists them)");
            }
            throw new NotFoundException("Topic " + topic + " not found");
        }
    }

    @Override
    public List<ConnectorRates> rates() {
        List<ConnectorRates> out = new ArrayList<>();
        for (String name : connectors.connectorNames()) {
            try {
                out.add(rates(name));
            } catch (NotFoundException deletedMeanwhile) {
                // left out
            }
        }
        return out;
    }

    @Override
    public ConnectorRates rates(String connector) {
        String type = connectors.connectorStatus(connector).type().name().toLowerCase(Locale.ROOT);
        return new ConnectorRates(
                connector, type, rates.total(connector), rates.perSecond(connector), rates.lag(connector));
    }

    @Override
    public List<io.sluice.core.hub.PartitionLag> lag(String connector) {
        connectors.connectorStatus(connector); // 404 for an unknown connector
        return rates.partitionLag(connector);
    }

    @Override
    public java.util.Optional<io.sluice.core.hub.SnapshotInfo> snapshot(String connector) {
        return connectors.snapshot(connector);
    }

    @Override
    public java.util.Optional<io.sluice.core.status.ReplicationSlotStatus> replicationSlot(String connector) {
        return connectors.measureReplicationSlot(connector);
    }

    @Override
    public java.util.List<io.sluice.core.hub.TaskSeries> history(String connector) {
        connectors.connectorConfig(connector); // 404 for an unknown connector
        return history.of(connector);
    }

    @Override
    public Subscription subscribe(Consumer<StateChange> listener) {
        return changes.subscribe(listener);
    }
}
