package io.sluice.log.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;

/**
 * The nodes of a cluster: node id to {@code host:port} of its Raft server. Partition groups are built
 * from it; their ids are derived from topic and partition, so every node computes the same group for
 * a partition without asking anyone. The list starts as given and follows the cluster's membership
 * through {@link #put} and {@link #remove} (workers joining and leaving at runtime).
 *
 * <p>Thread-safe: reads see an immutable copy; changes replace it and then tell the listeners.
 */
public final class ClusterPeers {

    private volatile Map<String, String> addresses;
    private final List<Consumer<RaftPeer>> added = new CopyOnWriteArrayList<>();

    /**
     * @param addresses node id to {@code host:port}, in any order; ids are non-empty and use letters,
     *     digits, '-' and '_' only
     */
    public ClusterPeers(Map<String, String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("the peer list is empty");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            check(e.getKey(), e.getValue());
            copy.put(e.getKey(), e.getValue());
        }
        this.addresses = Collections.unmodifiableMap(copy);
    }

    private static void check(String id, String address) {
        if (id == null || !id.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("node id '" + id + "' must be letters, digits, '-' or '_'");
        }
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon <= 0 || !address.substring(colon + 1).matches("\\d{1,5}")) {
            throw new IllegalArgumentException("address of node " + id + " must be host:port, not '" + address + "'");
        }
    }

    /**
     * Adds node {@code id} at {@code address}, or moves it there; listeners hear of a new or moved node.
     *
     * @throws IllegalArgumentException for a malformed id or address
     */
    public void put(String id, String address) {
        check(id, address);
        synchronized (this) {
            if (address.equals(addresses.get(id))) {
                return;
            }
            Map<String, String> copy = new LinkedHashMap<>(addresses);
            copy.put(id, address);
            addresses = Collections.unmodifiableMap(copy);
        }
        RaftPeer peer = peer(id, 0);
        added.forEach(l -> l.accept(peer));
    }

    /** Forgets node {@code id} (a worker removed from the cluster); the last node is kept. */
    public synchronized void remove(String id) {
        if (addresses.containsKey(id) && addresses.size() > 1) {
            Map<String, String> copy = new LinkedHashMap<>(addresses);
            copy.remove(id);
            addresses = Collections.unmodifiableMap(copy);
        }
    }

    /** Calls {@code listener} with each node added or moved by {@link #put}, on the caller's thread. */
    public void onAdded(Consumer<RaftPeer> listener) {
        added.add(listener);
    }

    /** Parses {@code 1@host:port,2@host:port,...} (the form of {@code sluice.cluster.peers}). */
    public static ClusterPeers parse(String list) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String item : list.split(",")) {
            String s = item.trim();
            int at = s.indexOf('@');
            if (at <= 0) {
                throw new IllegalArgumentException("peer '" + s + "' must be id@host:port");
            }
            if (map.put(s.substring(0, at), s.substring(at + 1)) != null) {
                throw new IllegalArgumentException("node id " + s.substring(0, at) + " appears twice in the peer list");
            }
        }
        return new ClusterPeers(map);
    }

    public Map<String, String> addresses() {
        return addresses;
    }

    public List<String> nodeIds() {
        return List.copyOf(addresses.keySet());
    }

    public boolean contains(String nodeId) {
        return addresses.containsKey(nodeId);
    }

    public String address(String nodeId) {
        Map<String, String> now = addresses;
        String a = now.get(nodeId);
        if (a == null) {
            throw new IllegalArgumentException("node " + nodeId + " is not in the peer list " + now.keySet());
        }
        return a;
    }

    /** The Raft peer of {@code nodeId}; {@code priority} decides who Ratis prefers as leader. */
    public RaftPeer peer(String nodeId, int priority) {
        return RaftPeer.newBuilder()
                .setId(nodeId)
                .setAddress(address(nodeId))
                .setPriority(priority)
                .build();
    }

    /** Every node, for clients that only send group-management requests. */
    public List<RaftPeer> allPeers() {
        List<RaftPeer> peers = new ArrayList<>();
        addresses.forEach((id, address) ->
                peers.add(RaftPeer.newBuilder().setId(id).setAddress(address).build()));
        return peers;
    }

    /**
     * The Raft group of {@code members} under {@code groupId}. The first member has the highest
     * priority, so Ratis hands leadership to it whenever it is up and caught up.
     */
    public RaftGroup group(RaftGroupId groupId, List<String> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a group needs at least one member");
        }
        if (members.stream().distinct().count() != members.size()) {
            throw new IllegalArgumentException("replica list " + members + " names a node twice");
        }
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            peers.add(peer(members.get(i), members.size() - i));
        }
        return RaftGroup.valueOf(groupId, peers);
    }

    /** The Raft group id of a partition: a name-based UUID of {@code topic} and {@code partition}. */
    public static RaftGroupId partitionGroupId(String topic, int partition) {
        byte[] name = ("sluice-partition\0" + topic + "\0" + partition).getBytes(StandardCharsets.UTF_8);
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name));
    }

    static String nodeId(RaftPeerId id) {
        return id.toString();
    }

    /**
     * The leader that sent a notification to {@code division} (as {@code roleInfo} names it), else the
     * leader the division knows.
     *
     * @throws IOException when neither names one
     */
    public static RaftPeerId leaderOf(RoleInfoProto roleInfo, RaftServer.Division division) throws IOException {
        if (roleInfo != null
                && roleInfo.hasFollowerInfo()
                && roleInfo.getFollowerInfo().hasLeaderInfo()) {
            String id =
                    roleInfo.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8();
            if (!id.isEmpty()) {
                return RaftPeerId.valueOf(id);
            }
        }
        RaftPeerId known = division.getInfo().getLeaderId();
        if (known == null) {
            throw new IOException(division.getMemberId() + " knows no leader");
        }
        return known;
    }
}
