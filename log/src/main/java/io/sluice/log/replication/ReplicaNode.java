package io.sluice.log.replication;

import io.sluice.log.AppendResult;
import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import io.sluice.log.TopicConfig;
import io.sluice.log.TopicPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a replicated log: a Ratis server on one port hosting a Raft group per partition
 * replica (and any other group registered through {@link Builder#stateMachine}), backed by the node's
 * local {@link Log} in {@code dataDir/log} and Raft storage in {@code dataDir/raft}. Groups found in
 * the Raft storage come back on start; a restarted replica catches up from its group's leader.
 *
 * <p>Every client operation ({@link #append}, {@link #fetch}, {@link #status}...) works on any node for
 * any partition, wherever its leader is; {@link #fetch} reads locally when this node holds a caught-up
 * replica. Threading: thread-safe. {@link #close()} stops the server (Ratis threads are not daemons, so
 * a node that is never closed keeps its JVM alive).
 */
public final class ReplicaNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaNode.class);

    private final ReplicaNodeConfig config;
    private final Log log;
    private final RaftServer server;
    private final ReplicationClient client;

    private ReplicaNode(ReplicaNodeConfig config, Log log, RaftServer server, ReplicationClient client) {
        this.config = config;
        this.log = log;
        this.server = server;
        this.client = client;
    }

    /** Starts a node with no state machines other than partitions'. */
    public static ReplicaNode start(ReplicaNodeConfig config) {
        return builder(config).start();
    }

    public static Builder builder(ReplicaNodeConfig config) {
        return new Builder(config);
    }

    /** Registers state machines of non-partition groups before the server starts. */
    public static final class Builder {

        private final ReplicaNodeConfig config;
        private final Map<RaftGroupId, Supplier<? extends StateMachine>> stateMachines = new HashMap<>();

        private Builder(ReplicaNodeConfig config) {
            this.config = config;
        }

        /**
         * Hosts group {@code groupId} with a state machine from {@code factory} (called once each time
         * the group is opened on this node: when it is added, and on every start if it exists in the
         * Raft storage). Create the group on its members with
         * {@link ReplicationClient#ensureGroup(org.apache.ratis.protocol.RaftGroup)}. Every other group
         * id is taken to be a partition group.
         */
        public Builder stateMachine(RaftGroupId groupId, Supplier<? extends StateMachine> factory) {
            stateMachines.put(groupId, factory);
            return this;
        }

        /** Opens the local log, starts the Raft server with every group it stores, and returns. */
        public ReplicaNode start() {
            LogOptions options = LogOptions.defaults(config.dataDir().resolve("log"));
            options = new LogOptions(
                    options.dataDir(),
                    options.topicDefaults(),
                    options.retentionCheckInterval(),
                    options.cleanerInterval(),
                    options.fileDeleteDelay(),
                    false, // the commit point follows what Raft committed
                    options.clock());
            Log log = Log.open(options);
            ReplicationClient client = new ReplicationClient(config.peers(), config.settings());
            Map<RaftGroupId, Supplier<? extends StateMachine>> registered = Map.copyOf(stateMachines);
            StateMachine.Registry registry = id -> {
                Supplier<? extends StateMachine> f = registered.get(id);
                return f != null ? f.get() : new PartitionStateMachine(log, client);
            };
            RaftServer server = null;
            try {
                server = RaftServer.newBuilder()
                        .setServerId(RaftPeerId.valueOf(config.nodeId()))
                        .setStateMachineRegistry(registry)
                        .setProperties(config.settings()
                                .serverProperties(config.dataDir().resolve("raft"), config.bindHost(), config.port()))
                        .setParameters(config.settings().parameters())
                        .build();
                server.start();
            } catch (IOException | RuntimeException e) {
                if (server != null) {
                    try {
                        server.close();
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                client.close();
                log.close();
                throw new ReplicationException(
                        "node " + config.nodeId() + " could not start its Raft server on " + config.bindHost() + ":"
                                + config.port() + ": " + e.getMessage(),
                        e);
            }
            LOG.info(
                    "Replica node {} listening on {}:{} with peers {}",
                    config.nodeId(),
                    config.bindHost(),
                    config.port(),
                    config.peers().addresses());
            return new ReplicaNode(config, log, server, client);
        }
    }

    public String nodeId() {
        return config.nodeId();
    }

    public ReplicaNodeConfig config() {
        return config;
    }

    /** This node's local log (partitions it replicates appear here; write only through replication). */
    public Log log() {
        return log;
    }

    /** The Ratis server, for groups registered through {@link Builder#stateMachine}. */
    public RaftServer raftServer() {
        return server;
    }

    /** The cluster client this node uses; shares its connections. */
    public ReplicationClient client() {
        return client;
    }

    /** See {@link ReplicationClient#ensurePartition}. */
    public void ensurePartition(String topic, int partition, List<String> replicas, TopicConfig topicConfig) {
        client.ensurePartition(topic, partition, replicas, topicConfig);
    }

    /** See {@link ReplicationClient#append(String, int, ByteBuffer, long, int)}. */
    public AppendResult append(String topic, int partition, ByteBuffer batch, long producerId, int epoch) {
        return client.append(topic, partition, batch, producerId, epoch);
    }

    /** See {@link ReplicationClient#append(String, int, List, long, int)}. */
    public AppendResult append(String topic, int partition, List<Record> records, long producerId, int epoch) {
        return client.append(topic, partition, records, producerId, epoch);
    }

    /** See {@link ReplicationClient#fence}. */
    public void fence(String topic, int partition, long producerId, int epoch) {
        client.fence(topic, partition, producerId, epoch);
    }

    /**
     * Committed batches from {@code offset}: read from the local replica when this node leads the
     * partition or is a follower that applied everything it knows to be committed, otherwise from the
     * leader. Either way only majority-acknowledged records are returned.
     */
    public FetchResult fetch(String topic, int partition, long offset, int maxBytes) {
        Optional<PartitionLog> local = caughtUpReplica(topic, partition);
        if (local.isPresent()) {
            return local.get().fetch(offset, maxBytes);
        }
        return client.fetch(topic, partition, offset, maxBytes);
    }

    /**
     * As {@link #fetch(String, int, long, int)}, but waits up to {@code maxWait} for records at or past
     * {@code offset}: on the local replica through the partition log's long poll, otherwise by asking
     * the leader again every {@code 50 ms}.
     */
    public FetchResult fetch(String topic, int partition, long offset, int maxBytes, Duration maxWait)
            throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            Optional<PartitionLog> local = caughtUpReplica(topic, partition);
            if (local.isPresent()) {
                return local.get().fetch(offset, maxBytes, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
            FetchResult r = client.fetch(topic, partition, offset, maxBytes);
            long left = deadline - System.nanoTime();
            if (!r.isEmpty() || left <= 0) {
                return r;
            }
            Thread.sleep(Math.min(50, Math.max(1, left / 1_000_000)));
        }
    }

    /** See {@link ReplicationClient#status}. */
    public PartitionStatus status(String topic, int partition) {
        return client.status(topic, partition);
    }

    /** See {@link ReplicationClient#leader}. */
    public Optional<String> leader(String topic, int partition) {
        return client.leader(topic, partition);
    }

    /**
     * Rewrites the damaged ranges of this node's replica of the partition with the batches another
     * replica holds (the leader first, then the others): see {@link PartitionLog#repairByCopy}.
     * Blocking; appends to this replica wait until it ends.
     *
     * @throws IllegalStateException when this node holds no replica of the partition
     */
    public List<io.sluice.log.RepairResult> repairByCopy(String topic, int partition) {
        PartitionLog local = localReplica(topic, partition)
                .orElseThrow(() -> new IllegalStateException(
                        "This worker holds no replica of " + topic + "-" + partition + " to repair"));
        RaftServer.Division division;
        try {
            division = server.getDivision(ClusterPeers.partitionGroupId(topic, partition));
        } catch (IOException e) {
            throw new IllegalStateException("This worker holds no replica of " + topic + "-" + partition, e);
        }
        RaftGroup group = division.getGroup();
        RaftPeerId self = division.getId();
        RaftPeerId leader = division.getInfo().getLeaderId();
        List<RaftPeerId> others = new java.util.ArrayList<>();
        if (leader != null && !leader.equals(self)) {
            others.add(leader);
        }
        group.getPeers().stream()
                .map(org.apache.ratis.protocol.RaftPeer::getId)
                .filter(id -> !id.equals(self) && !others.contains(id))
                .forEach(others::add);
        if (others.isEmpty()) {
            throw new IllegalStateException(
                    topic + "-" + partition + " has no other replica to copy from (replication factor 1)");
        }
        TopicPartition tp = local.topicPartition();
        return local.repairByCopy((offset, maxBytes) -> {
            List<String> failures = new java.util.ArrayList<>();
            for (RaftPeerId peer : others) {
                try {
                    List<java.nio.ByteBuffer> out = new java.util.ArrayList<>();
                    for (io.sluice.log.format.RecordBatch batch :
                            client.fetchFrom(tp, group, peer, offset, maxBytes).batchList()) {
                        java.nio.ByteBuffer b = batch.buffer();
                        out.add(java.nio.ByteBuffer.allocate(b.remaining())
                                .put(b)
                                .flip());
                    }
                    if (!out.isEmpty()) {
                        return out;
                    }
                    failures.add("node " + peer + ": nothing at that offset");
                } catch (RuntimeException e) {
                    failures.add("node " + peer + ": " + e.getMessage());
                }
            }
            throw new IOException(
                    "no other replica served offset " + offset + " (" + String.join("; ", failures) + ")");
        });
    }

    /** This node's replica of the partition, once its group is initialised here. */
    public Optional<PartitionLog> localReplica(String topic, int partition) {
        return stateMachine(topic, partition).map(PartitionStateMachine::partitionLog);
    }

    private Optional<PartitionLog> caughtUpReplica(String topic, int partition) {
        RaftGroupId id = ClusterPeers.partitionGroupId(topic, partition);
        try {
            RaftServer.Division division = server.getDivision(id);
            DivisionInfo info = division.getInfo();
            boolean caughtUp = info.isLeader()
                    ? info.isLeaderReady()
                    : info.getLeaderId() != null
                            && info.getLastAppliedIndex()
                                    >= division.getRaftLog().getLastCommittedIndex();
            if (!caughtUp || !(division.getStateMachine() instanceof PartitionStateMachine sm)) {
                return Optional.empty();
            }
            return Optional.ofNullable(sm.partitionLog());
        } catch (IOException e) {
            return Optional.empty(); // not hosted here
        }
    }

    private Optional<PartitionStateMachine> stateMachine(String topic, int partition) {
        try {
            StateMachine sm = server.getDivision(ClusterPeers.partitionGroupId(topic, partition))
                    .getStateMachine();
            return sm instanceof PartitionStateMachine p ? Optional.of(p) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        client.close();
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the Raft server of node " + config.nodeId(), e);
        } finally {
            log.close();
        }
    }
}
