package io.sluice.worker.cluster;

import io.sluice.log.Log;
import io.sluice.log.replication.ReplicaNode;
import io.sluice.worker.runtime.Ownership;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.store.SourceOffsetStore;
import io.sluice.worker.store.StatusStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker as a member of the cluster: its metadata server, the shared topics it applies, its
 * heartbeats, and the coordinator that acts when it leads. Built once per worker process.
 *
 * <p>Thread-safe. {@link #close()} stops heartbeats, the coordinator and Ratis.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    /**
     * The worker's replica node's folder in its data directory: Raft storage of the metadata group and
     * of the partitions it replicates ({@code raft/}), their local log ({@code log/}), and {@code node.id}.
     */
    public static final String REPLICATION_DIR = "replication";

    private final int nodeId;
    private final List<Peer> seed;
    private final MemberRegistry members;
    private final CompactedTopicMap configs;
    private final CompactedTopicMap status;
    private final CompactedTopicMap offsets;
    private final CompactedTopicMap sinkOffsets;
    private final ClusterState state;
    private final MetadataServer server;
    private final RaftClient writeClient;
    private final RaftClient heartbeatClient;
    private final RaftClient adminClient;
    private final Membership membership;
    private final Coordinator coordinator;
    private final MembershipChange changes;
    private final ClusterOwnership ownership;
    private final ScheduledExecutorService heartbeats = daemon("sluice-heartbeat");
    private final ScheduledExecutorService coordination = daemon("sluice-coordinator");
    private final CrashProbe crashProbe;
    private final RaftConfigLog configLog;
    private ReplicaBalancer balancer;
    private volatile Consumer<String> fatal = message -> LOG.error("{}", message);

    private ClusterNode(
            ClusterProperties props, org.apache.ratis.grpc.GrpcTlsConfig tls, Path dataDir, Log log, String workerId) {
        if (props.nodeId() == null) {
            throw new IllegalArgumentException(
                    "sluice.cluster.node-id is not set; sluice.cluster.peers is '" + props.peers() + "'");
        }
        this.nodeId = props.nodeId();
        this.seed = props.peers().isEmpty() ? List.of() : Peer.parseList(props.peers());
        Path storage = dataDir.resolve(REPLICATION_DIR);
        checkNodeId(storage);
        this.configs = CompactedTopicMap.open(log, ConfigStore.TOPIC);
        this.status = CompactedTopicMap.open(log, StatusStore.TOPIC);
        this.offsets = CompactedTopicMap.open(log, SourceOffsetStore.TOPIC);
        this.sinkOffsets = CompactedTopicMap.open(log, SharedSinkOffsets.TOPIC);
        this.state = new ClusterState(configs);
        MemberStartup start = MemberStartup.decide(props, configs);
        JoinRequest join = new JoinRequest(
                props.writeTimeout(),
                MetadataServer.settings(props.snapshotEvery(), tls).parameters());
        SortedMap<Integer, String> known = start.members();
        if (start.joining()) {
            known = new TreeMap<>(join.members(props.joinAddresses(), nodeId));
            known.put(nodeId, start.address());
        }
        this.members = new MemberRegistry(configs, known);
        MetadataStateMachine stateMachine = new MetadataStateMachine(configs, status, offsets, sinkOffsets);
        this.server = MetadataServer.start(
                storage,
                nodeId,
                members.peers(),
                start.joining(),
                props.bindAddress(),
                props.snapshotEvery(),
                tls,
                stateMachine);
        members.keepInSync(server.replicaNode().config().peers(), nodeId);
        this.writeClient = client(new WriteRetry(
                props.writeTimeout().toMillis(), () -> server.leader().isPresent(), System::currentTimeMillis));
        long interval = props.heartbeatInterval().toMillis();
        this.heartbeatClient = client(
                RetryPolicies.retryUpToMaximumCountWithFixedSleep(3, TimeDuration.valueOf(50, TimeUnit.MILLISECONDS)));
        // few retries: a request sent to a follower is redirected to the leader; a change is idempotent
        this.adminClient = client(
                RetryPolicies.retryUpToMaximumCountWithFixedSleep(5, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)),
                props.writeTimeout());
        this.configLog = new RaftConfigLog(
                writeClient,
                stateMachine,
                props.writeTimeout(),
                () -> server.leader().isPresent());
        configs.replicateThrough(configLog);
        status.replicateThrough(configLog);
        offsets.replicateThrough(configLog);
        sinkOffsets.replicateThrough(configLog);
        long session = props.sessionTimeout().toMillis();
        this.membership = new Membership(
                heartbeatClient,
                new Query(Query.HEARTBEAT, nodeId, workerId, Peer.format(seed), null, start.address()),
                session,
                // a loaded host may take seconds to answer; a beat waits up to a third of the session
                Math.max(interval * 2, session / 3),
                () -> stateMachine.getLastAppliedTermIndex() == null
                        ? -1
                        : stateMachine.getLastAppliedTermIndex().getIndex(),
                server::isReadyLeader,
                message -> fatal.accept(message));
        this.crashProbe = new CrashProbe(members.peers(), System::currentTimeMillis);
        members.onChange(crashProbe::track);
        this.coordinator = new Coordinator(
                nodeId, workerId, members, server, configLog, state, status, session, interval, crashProbe);
        this.changes = new MembershipChange(server, adminClient, configLog, members, coordinator::liveMembers);
        coordinator.changeMembersThrough(changes);
        // a join or a removal committed on the metadata leader: move partition replicas so every partition
        // keeps its replication factor and the new member gets its share
        changes.notify(current -> replicaBalancer().membersChanged(current));
        stateMachine.answerQueriesWith(coordinator::answer);
        stateMachine.copySnapshotsThrough(heartbeatClient);
        if (start.joining()) {
            join.join(server.group(), nodeId, start.address());
        }
        TaskHandover handover =
                new TaskHandover(nodeId, state, configs, props.writeTimeout().toMillis());
        membership.onChange(() -> {
            if (membership.active()) {
                handover.releaseStale();
            }
        });
        this.ownership = new ClusterOwnership(nodeId, state, membership, handover);
        heartbeats.scheduleWithFixedDelay(guarded(membership::beat), 0, interval, TimeUnit.MILLISECONDS);
        coordination.scheduleWithFixedDelay(
                guarded(() -> {
                    members.refresh();
                    coordinator.tick();
                }),
                interval,
                Math.max(interval / 2, 50),
                TimeUnit.MILLISECONDS);
        LOG.info(
                "Node {} of cluster {} started; metadata server on {}",
                nodeId,
                MemberRegistry.format(members.members()),
                props.bindAddress());
    }

    /** Starts this worker's cluster membership; throws with a clear message on bad settings. */
    public static ClusterNode start(ClusterProperties props, Path dataDir, Log log, String workerId) {
        return new ClusterNode(props, null, dataDir, log, workerId);
    }

    /** Starts this worker's cluster node with worker-to-worker traffic over mutual TLS ({@code tls} non-null). */
    public static ClusterNode start(
            ClusterProperties props, org.apache.ratis.grpc.GrpcTlsConfig tls, Path dataDir, Log log, String workerId) {
        return new ClusterNode(props, tls, dataDir, log, workerId);
    }

    /** A data directory belongs to one node for its whole life: starting it as another is refused. */
    private void checkNodeId(Path storage) {
        Path file = storage.resolve("node.id");
        try {
            Files.createDirectories(storage);
            if (Files.isRegularFile(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!stored.equals(Integer.toString(nodeId))) {
                    throw new IllegalArgumentException("The data directory " + storage.getParent() + " belongs to node "
                            + stored + " of the cluster, but this worker was started with sluice.cluster.node-id="
                            + nodeId);
                }
            } else {
                Files.writeString(file, nodeId + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        }
    }

    private RaftClient client(RetryPolicy retry) {
        return client(retry, java.time.Duration.ofSeconds(2));
    }

    private RaftClient client(RetryPolicy retry, java.time.Duration requestTimeout) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(
                p, TimeDuration.valueOf(requestTimeout.toMillis(), TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder()
                .setRaftGroup(server.group())
                .setProperties(p)
                .setParameters(server.replicaNode().config().settings().parameters())
                .setRetryPolicy(retry)
                .build();
    }

    private static Runnable guarded(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("Cluster loop failed; retrying", e);
            }
        };
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Called with a message when this worker must not stay in the cluster (refused by the leader). */
    public void onFatal(Consumer<String> handler) {
        this.fatal = handler;
    }

    /** This worker's replica node: the one Ratis server of the worker, shared with the log's partitions. */
    public ReplicaNode replicaNode() {
        return server.replicaNode();
    }

    public int nodeId() {
        return nodeId;
    }

    /** The cluster's members now (workers join and leave at runtime), sorted by node id. */
    public List<Peer> peers() {
        return members.peers();
    }

    /**
     * The same id on every worker of the cluster: stored when the cluster first stored its members,
     * derived from its first members (so it is what it was before workers could join).
     */
    public String clusterId() {
        return members.clusterId(MembershipChange.clusterId(members.members()));
    }

    /** Sets who hears of committed joins and removals (on the metadata leader). */
    public void onMembersChanged(MembersListener listener) {
        changes.notify(listener);
    }

    /**
     * Removes node {@code node} from the cluster (asked of the metadata leader, which changes the
     * metadata group's members; the node's work moves at once). Blocks until the leader answered.
     */
    public io.sluice.core.hub.WorkerRemoval.Result remove(int node) {
        return new WorkerRemoval(adminClient).remove(node);
    }

    /** True when the metadata leader told this worker it is no longer a member. */
    public boolean removed() {
        return membership.removed();
    }

    /** Whether {@code topic} is one of the cluster's replicated data topics (whether or not this worker holds a replica). */
    public boolean knowsTopic(String topic) {
        return configs.get(TopicRegistry.PREFIX + topic) != null;
    }

    /**
     * The cluster's replicated data topics (the topic registry) with their partition counts, the same
     * on every worker whether or not it holds a replica of them.
     */
    public java.util.SortedMap<String, Integer> replicatedTopics() {
        java.util.SortedMap<String, Integer> out = new java.util.TreeMap<>();
        TopicRegistry registry = new TopicRegistry(configs);
        registry.topics().keySet().forEach(t -> registry.partitions(t).ifPresent(n -> out.put(t, n)));
        return out;
    }

    public CompactedTopicMap configs() {
        return configs;
    }

    public CompactedTopicMap status() {
        return status;
    }

    /** Sink tasks' committed offsets ({@code __sluice_sink_offsets}), shared through the metadata group. */
    CompactedTopicMap sinkOffsets() {
        return sinkOffsets;
    }

    /** Source offsets ({@code __sluice_offsets}), shared through the metadata group. */
    public CompactedTopicMap offsets() {
        return offsets;
    }

    public ClusterState state() {
        return state;
    }

    public Ownership ownership() {
        return ownership;
    }

    /** True while this worker heart-beats to a leader within the session timeout. */
    public boolean active() {
        return membership.active();
    }

    /** The metadata leader as this worker's Raft server knows it, else as the last heartbeat reply named it. */
    public Optional<Integer> leader() {
        Optional<Integer> known = server.leader();
        return known.isPresent() ? known : membership.recentLeader();
    }

    /** Node → milliseconds since the metadata leader last heard it (asked of the leader); empty if unreachable. */
    public Map<Integer, Long> liveness() {
        if (server.isReadyLeader()) {
            return coordinator.livenessAges();
        }
        try {
            RaftClientReply reply = heartbeatClient
                    .async()
                    .sendReadOnlyUnordered(Message.valueOf(
                            ByteString.copyFrom(new Query(Query.LIVENESS, nodeId, null, null, null).encode())))
                    .get(2, TimeUnit.SECONDS);
            if (reply.isSuccess()) {
                Query.Reply r =
                        Query.decodeReply(reply.getMessage().getContent().toByteArray());
                return r.liveness() == null ? Map.of() : r.liveness();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Liveness query failed", e);
        }
        return Map.of();
    }

    /**
     * Moves partition replicas between workers (created on first use); {@code membersChanged} is the
     * hook for membership changes.
     */
    public synchronized ReplicaBalancer replicaBalancer() {
        if (balancer == null) {
            balancer = new ReplicaBalancer(
                    replicaNode().client(),
                    new TopicRegistry(configs),
                    () -> peers().stream().map(Peer::id).toList(),
                    ReplicatedTopicWriter.MAX_REPLICATION);
        }
        return balancer;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (balancer != null) {
                balancer.close();
            }
        }
        heartbeats.shutdownNow();
        coordination.shutdownNow();
        changes.close();
        crashProbe.close();
        configLog.close();
        closeQuietly(heartbeatClient);
        closeQuietly(writeClient);
        closeQuietly(adminClient);
        server.close();
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("Closing a metadata client failed", e);
        }
    }
}
