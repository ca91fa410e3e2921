package io.sluice.worker.hub;

import io.sluice.core.hub.ConnectorRates;
import io.sluice.core.hub.HubQueries;
import io.sluice.core.hub.PartitionRecords;
import io.sluice.core.hub.PartitionRepair;
import io.sluice.core.hub.RecordView;
import io.sluice.core.hub.StateChange;
import io.sluice.core.hub.TopicInfo;
import io.sluice.core.hub.WorkerInfo;
import io.sluice.core.service.ConflictException;
import io.sluice.core.service.ConnectorStateInfo;
import io.sluice.core.service.NotFoundException;
import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.PartitionDamagedException;
import io.sluice.log.PartitionLog;
import io.sluice.log.PartitionOfflineException;
import io.sluice.log.StoredRecord;
import io.sluice.log.UnknownTopicException;
import io.sluice.worker.runtime.WorkerConnectorService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The worker's {@link HubQueries}: topics and records straight from the log (in a cluster, data
 * topics from this worker's replicas of them), rates from the task meters, workers and state changes
 * from the connector service. This worker is the whole cluster until workers form one. Thread-safe.
 */
public final class WorkerHubQueries implements HubQueries {

    /** The most bytes one fetch reads when paging records. */
    private static final int FETCH_BYTES = 1 << 20;

    private final String clusterId;
    private final Instant startedAt = Instant.now();
    private final WorkerConnectorService connectors;
    private final Log log;
    private final RateSampler rates;
    private final StateChangeFeed changes;
    private final TaskHistory history;
    private io.sluice.worker.cluster.ClusterNode cluster;

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
        for (String topic : new java.util.TreeSet<>(node.log().topics())) {
            int partitions = node.log().partitionsOf(topic).size();
            for (int p = 0; p < partitions; p++) {
                try {
                    io.sluice.log.replication.PartitionStatus st = node.status(topic, p);
                    io.sluice.worker.cluster.ReplicaBalancer.Move move =
                            moves.get(new io.sluice.worker.cluster.ReplicaPlanner.PartitionId(topic, p));
                    out.add(new io.sluice.core.hub.ReplicationInfo(
                            topic,
                            p,
                            st.leader().orElse(null),
                            st.replicas().stream()
                                    .map(r -> new io.sluice.core.hub.ReplicationInfo.Replica(
                                            r.nodeId(), r.reachable(), r.leader(), r.appliedIndex(), r.lag()))
                                    .toList(),
                            move == null
                                    ? null
                                    : new io.sluice.core.hub.ReplicaMove(topic, p, move.from(), move.to())));
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

    @Override
    public List<TopicInfo> topics() {
        List<TopicInfo> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.LinkedHashSet<>(log.topics());
        if (cluster != null) {
            names.addAll(cluster.replicaNode().log().topics()); // the replicated data topics
        }
        for (String name : names) {
            try {
                out.add(topic(name));
            } catch (NotFoundException deletedMeanwhile) {
                // left out
            }
        }
        return out;
    }

    @Override
    public TopicInfo topic(String name) {
        List<TopicInfo.PartitionInfo> partitions = new ArrayList<>();
        for (PartitionLog p : partitionsOf(name)) {
            partitions.add(PartitionStates.info(p));
        }
        return new TopicInfo(name, name.startsWith("__"), partitions);
    }

    @Override
    public PartitionRecords records(String topic, int partition, long offset, int maxRecords) {
        List<PartitionLog> partitions = partitionsOf(topic);
        if (partition < 0 || partition >= partitions.size()) {
            throw new NotFoundException(
                    "Topic " + topic + " has no partition " + partition + " (it has " + partitions.size() + ")");
        }
        PartitionLog p = partitions.get(partition);
        long end = p.highWatermark();
        long next = Math.max(offset, p.logStartOffset());
        List<RecordView> out = new ArrayList<>();
        while (out.size() < maxRecords && next < end) {
            FetchResult fetched;
            try {
                fetched = p.fetch(next, FETCH_BYTES);
            } catch (PartitionDamagedException e) {
                if (!out.isEmpty()) {
                    break; // the page ends where the damaged range starts; the next page names it
                }
                throw new ConflictException(e.getMessage(), e);
            } catch (PartitionOfflineException e) {
                throw new ConflictException(e.getMessage(), e);
            }
            List<StoredRecord> records = fetched.records();
            if (records.isEmpty()) {
                break;
            }
            for (StoredRecord r : records) {
                if (out.size() == maxRecords || r.offset() >= end) {
                    break;
                }
                out.add(RecordDecoder.decode(r));
                next = r.offset() + 1;
            }
            if (fetched.nextOffset() > next && out.size() < maxRecords) {
                next = fetched.nextOffset(); // a compacted gap
            }
        }
        return new PartitionRecords(topic, partition, p.logStartOffset(), end, next, out);
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
