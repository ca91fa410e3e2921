package io.sluice.worker.cluster;

import io.sluice.log.replication.ClusterPeers;
import io.sluice.log.replication.ReplicaNode;
import io.sluice.log.replication.ReplicaNodeConfig;
import io.sluice.log.replication.ReplicationSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.statemachine.StateMachine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's member of the metadata group, hosted on the worker's {@link ReplicaNode}: one Ratis
 * server (gRPC, the port of this worker's entry in {@code sluice.cluster.peers}) serves the metadata
 * group and every replicated log partition this worker holds, with its storage in
 * {@code <data-dir>/replication/raft}. Ratis settings are the node's {@link ReplicationSettings},
 * with the metadata group's election timeouts (so failover stays within the session timeout) and
 * {@code sluice.cluster.snapshot-every}.
 *
 * <p>Thread-safe; {@link #close()} stops the node and Ratis's threads.
 */
final class MetadataServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataServer.class);

    /** The metadata group's id: the same on every worker, whatever its peer list. */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(
            UUID.nameUUIDFromBytes("sluice-metadata".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    /**
     * Election timeouts (the replicated partitions' too: they share the server). Under load average
     * 20 on two cores, 400–800 ms gave several elections a minute; a crashed leader is still replaced
     * in a few seconds, and its work moves as soon as the new leader finds its port closed.
     */
    static final Duration ELECTION_TIMEOUT_MIN = Duration.ofMillis(1000);

    static final Duration ELECTION_TIMEOUT_MAX = Duration.ofMillis(2000);

    private final ReplicaNode node;
    private final RaftServer server;
    private final RaftGroup group;

    private MetadataServer(ReplicaNode node, RaftGroup group) {
        this.node = node;
        this.server = node.raftServer();
        this.group = group;
    }

    static RaftGroup group(List<Peer> peers) {
        return RaftGroup.valueOf(
                GROUP_ID,
                peers.stream()
                        .map(p -> RaftPeer.newBuilder()
                                .setId(peerId(p.id()))
                                .setAddress(p.address())
                                .build())
                        .toList());
    }

    /** The same peer ids as the replicated partitions' groups use: the node id itself. */
    static RaftPeerId peerId(int node) {
        return RaftPeerId.valueOf(Integer.toString(node));
    }

    static int nodeOf(RaftPeerId id) {
        return Integer.parseInt(id.toString());
    }

    static ClusterPeers clusterPeers(List<Peer> peers) {
        Map<String, String> addresses = new LinkedHashMap<>();
        peers.forEach(p -> addresses.put(Integer.toString(p.id()), p.address()));
        return new ClusterPeers(addresses);
    }

    static ReplicationSettings settings(long snapshotEvery, org.apache.ratis.grpc.GrpcTlsConfig tls) {
        return ReplicationSettings.defaults()
                .withElectionTimeout(ELECTION_TIMEOUT_MIN, ELECTION_TIMEOUT_MAX)
                .withSnapshotEveryEntries(snapshotEvery)
                .withTls(tls);
    }

    /**
     * Starts the worker's replica node in {@code storage} with the metadata group registered, and adds
     * the group to this node's server on the first start (later starts reopen it from the storage). A
     * {@code joining} worker adds it with no members: Ratis starts it waiting for a leader (it never
     * calls an election) until the leader makes it a member and sends it the group's log.
     *
     * @param peers the members this worker knows, itself included
     */
    static MetadataServer start(
            Path storage,
            int node,
            List<Peer> peers,
            boolean joining,
            String bindAddress,
            long snapshotEvery,
            org.apache.ratis.grpc.GrpcTlsConfig tls,
            StateMachine sm) {
        Peer self = peers.stream().filter(p -> p.id() == node).findFirst().orElseThrow();
        RaftGroup group = group(peers);
        ReplicaNodeConfig config = ReplicaNodeConfig.of(Integer.toString(node), clusterPeers(peers), storage)
                .withBindHost(bindAddress)
                .withSettings(settings(snapshotEvery, tls));
        ReplicaNode replicaNode;
        try {
            replicaNode =
                    ReplicaNode.builder(config).stateMachine(GROUP_ID, () -> sm).start();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot start the cluster server of node " + node + " on " + bindAddress + ":" + self.port()
                            + " (storage " + storage + "): " + e.getMessage(),
                    e);
        }
        try {
            boolean hosted = false;
            for (RaftGroupId id : replicaNode.raftServer().getGroupIds()) {
                hosted |= id.equals(GROUP_ID);
            }
            if (!hosted) {
                replicaNode
                        .client()
                        .raftClient(group)
                        .getGroupManagementApi(peerId(node))
                        .add(joining ? RaftGroup.valueOf(GROUP_ID) : group);
                LOG.info("Added the metadata group to node {}{}", node, joining ? ", waiting to be made a member" : "");
            }
        } catch (org.apache.ratis.protocol.exceptions.AlreadyExistsException e) {
            // Ratis retried its own add on a busy machine: the group is there
            LOG.info("The metadata group was already added to node {}", node);
        } catch (IOException | RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("already exists")) {
                LOG.info("The metadata group was already added to node {}", node);
                return new MetadataServer(replicaNode, group);
            }
            replicaNode.close();
            throw new IllegalStateException(
                    "Cannot add the metadata group to node " + node + " (storage " + storage + "): " + e.getMessage(),
                    e);
        }
        return new MetadataServer(replicaNode, group);
    }

    /** The worker's replica node (the Ratis server shared by the metadata group and the partitions). */
    ReplicaNode replicaNode() {
        return node;
    }

    RaftGroup group() {
        return group;
    }

    private Optional<RaftServer.Division> division() {
        try {
            return Optional.of(server.getDivision(GROUP_ID));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True when this worker leads the group and may write (its first entry of the term committed). */
    boolean isReadyLeader() {
        return division()
                .map(d -> d.getInfo().isLeader() && d.getInfo().isLeaderReady())
                .orElse(false);
    }

    /** The metadata group's commit index as this worker knows it (-1 before it knows any). */
    long committedIndex() {
        return division().map(d -> d.getRaftLog().getLastCommittedIndex()).orElse(-1L);
    }

    /** The current leader's node id as this worker knows it. */
    Optional<Integer> leader() {
        return division().map(d -> d.getInfo().getLeaderId()).map(MetadataServer::nodeOf);
    }

    /**
     * While this worker follows: the leader's node and when this worker last heard from it (epoch
     * millis); empty otherwise.
     */
    Optional<long[]> leaderContact() {
        return division()
                .map(d -> d.getInfo().getRoleInfoProto())
                .filter(r -> r.hasFollowerInfo()
                        && r.getFollowerInfo().hasLeaderInfo()
                        && r.getFollowerInfo().getLeaderInfo().hasId())
                .map(r -> {
                    var leader = r.getFollowerInfo().getLeaderInfo();
                    int node = nodeOf(RaftPeerId.valueOf(leader.getId().getId()));
                    return new long[] {node, System.currentTimeMillis() - leader.getLastRpcElapsedTimeMs()};
                });
    }

    /**
     * The metadata group's members in its committed Raft configuration (node → address), as this
     * worker knows it; empty while a change is in progress or before this worker has one.
     */
    Optional<java.util.SortedMap<Integer, String>> configuration() {
        return division()
                .map(d -> d.getRaftConf())
                .filter(c ->
                        c.getPreviousPeers().isEmpty() && !c.getCurrentPeers().isEmpty())
                .map(c -> {
                    java.util.SortedMap<Integer, String> out = new java.util.TreeMap<>();
                    c.getCurrentPeers().forEach(p -> out.put(nodeOf(p.getId()), p.getAddress()));
                    return out;
                });
    }

    /** The metadata group's peers for {@code members} (for a Raft configuration change). */
    static List<RaftPeer> raftPeers(java.util.SortedMap<Integer, String> members) {
        return members.entrySet().stream()
                .map(e -> RaftPeer.newBuilder()
                        .setId(peerId(e.getKey()))
                        .setAddress(e.getValue())
                        .build())
                .toList();
    }

    long term() {
        return division().map(d -> d.getInfo().getCurrentTerm()).orElse(0L);
    }

    @Override
    public void close() {
        node.close();
    }
}
