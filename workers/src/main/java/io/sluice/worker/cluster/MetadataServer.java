package io.sluice.worker.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * This worker's member of the metadata group: one Ratis server (gRPC) hosting the group, with its
 * storage in {@code <data-dir>/metadata-raft}. The only place a {@link RaftServer} is built, so the
 * group can later move onto a server shared with the log's partition groups.
 *
 * <p>Thread-safe; {@link #close()} stops Ratis's threads.
 */
final class MetadataServer implements AutoCloseable {

    /** The metadata group's id: the same on every worker, whatever its peer list. */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(
            UUID.nameUUIDFromBytes("sluice-metadata".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    private final RaftServer server;
    private final RaftGroup group;

    private MetadataServer(RaftServer server, RaftGroup group) {
        this.server = server;
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

    static RaftPeerId peerId(int node) {
        return RaftPeerId.valueOf("n" + node);
    }

    static int nodeOf(RaftPeerId id) {
        return Integer.parseInt(id.toString().substring(1));
    }

    static RaftProperties properties(Path storage, String bindAddress, int port, long snapshotEvery) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(p, bindAddress);
        GrpcConfigKeys.Server.setPort(p, port);
        RaftServerConfigKeys.setStorageDir(p, List.of(storage.toFile()));
        // election timeouts a loaded two-core machine keeps without spurious elections
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(400, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(800, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotEvery);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, snapshotEvery));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8MB"));
        return p;
    }

    static MetadataServer start(
            Path storage, int node, List<Peer> peers, String bindAddress, long snapshotEvery, StateMachine sm) {
        Peer self = peers.stream().filter(p -> p.id() == node).findFirst().orElseThrow();
        RaftGroup group = group(peers);
        try {
            java.nio.file.Files.createDirectories(storage);
            boolean formatted = java.nio.file.Files.isDirectory(
                    storage.resolve(GROUP_ID.getUuid().toString()));
            RaftServer server = RaftServer.newBuilder()
                    .setServerId(peerId(node))
                    .setGroup(group)
                    .setStateMachine(sm)
                    .setProperties(properties(storage, bindAddress, self.port(), snapshotEvery))
                    .setOption(formatted ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                    .build();
            try {
                server.start();
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return new MetadataServer(server, group);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot start the metadata server of node " + node + " on " + bindAddress + ":" + self.port()
                            + " (storage " + storage + ")",
                    e);
        }
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

    long term() {
        return division().map(d -> d.getInfo().getCurrentTerm()).orElse(0L);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Closing the metadata server failed", e);
        }
    }
}
