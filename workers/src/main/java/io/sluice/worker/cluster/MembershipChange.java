package io.sluice.worker.cluster;

import io.sluice.worker.cluster.Query.Refusal;
import io.sluice.worker.cluster.Query.Reply;
import io.sluice.worker.store.ConfigStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata leader's side of workers joining and leaving: checks the request, changes the metadata
 * group's Raft configuration ({@code setConfiguration}, Ratis catching a new member up before it
 * counts), stores the members in the config topic ({@link MemberRegistry#MEMBERS}, with the removed
 * worker's membership record dropped so its work moves at once) and tells the {@link MembersListener}.
 * The leader also keeps the stored members equal to the Raft configuration ({@link #reconcile()}),
 * so a change interrupted by a leader crash is completed by the next leader.
 *
 * <p>Threading: changes run one at a time on this class's own thread; {@link #reconcile()} runs on
 * the coordination thread.
 */
final class MembershipChange implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipChange.class);

    private final MetadataServer server;
    private final RaftClient admin;
    private final RaftConfigLog configLog;
    private final MemberRegistry registry;
    private final Supplier<Set<Integer>> live;
    private volatile MembersListener listener = MembersListener.NONE;
    private final ExecutorService changes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sluice-membership-change");
        t.setDaemon(true);
        return t;
    });

    /** @param live the workers the leader hears now (its liveness view) */
    MembershipChange(
            MetadataServer server,
            RaftClient admin,
            RaftConfigLog configLog,
            MemberRegistry registry,
            Supplier<Set<Integer>> live) {
        this.server = server;
        this.admin = admin;
        this.configLog = configLog;
        this.registry = registry;
        this.live = live;
    }

    void notify(MembersListener listener) {
        this.listener = listener;
    }

    /**
     * Why node {@code node} at {@code address} cannot join a cluster of {@code members}, else null
     * (also null when it is a member at that address already: a join is idempotent).
     */
    static String refuseJoin(SortedMap<Integer, String> members, int node, String address) {
        String known = members.get(node);
        if (known != null && !known.equals(address)) {
            return "node id " + node + " is already used by the member at " + known + "; this worker is at "
                    + address + ". Give it another sluice.cluster.node-id, or remove node " + node
                    + " first (DELETE /hub/workers/" + node + ")";
        }
        for (Map.Entry<Integer, String> m : members.entrySet()) {
            if (m.getKey() != node && m.getValue().equals(address)) {
                return "address " + address + " is already used by member " + m.getKey()
                        + "; give this worker its own sluice.cluster.address";
            }
        }
        return null;
    }

    /**
     * Why {@code node} cannot be removed from {@code members} while {@code live} are heard, else
     * null: not the last member, and both the current and the new configuration keep a majority
     * of live members (Ratis needs both to commit the change, and the cluster needs the new one after).
     */
    static String refuseRemoval(SortedMap<Integer, String> members, Set<Integer> live, int node) {
        if (members.size() == 1) {
            return "node " + node + " is the last member of the cluster; a cluster cannot remove its last worker";
        }
        Set<Integer> liveNow = new TreeSet<>(live);
        liveNow.retainAll(members.keySet());
        if (2 * liveNow.size() <= members.size()) {
            return "only " + liveNow.size() + " of the " + members.size() + " members " + members.keySet()
                    + " are live (" + liveNow + "): the cluster has no majority to change its members";
        }
        Set<Integer> liveAfter = new TreeSet<>(liveNow);
        liveAfter.remove(node);
        int after = members.size() - 1;
        if (2 * liveAfter.size() <= after) {
            return "removing node " + node + " would leave " + liveAfter.size() + " live of " + after + " members "
                    + liveAfter + ", not a majority; start or remove the dead members first";
        }
        return null;
    }

    CompletableFuture<Reply> join(int node, String address) {
        return CompletableFuture.supplyAsync(() -> joinNow(node, address), changes);
    }

    CompletableFuture<Reply> remove(int node) {
        return CompletableFuture.supplyAsync(() -> removeNow(node), changes);
    }

    private Reply joinNow(int node, String address) {
        Optional<SortedMap<Integer, String>> conf = server.configuration();
        if (!server.isReadyLeader() || conf.isEmpty()) {
            return Reply.refused(Refusal.RETRY, "the metadata leader is changing; try again", leader());
        }
        String refused = refuseJoin(conf.get(), node, address);
        if (refused != null) {
            LOG.warn("Refused node {} at {}: {}", node, address, refused);
            return Reply.refused(Refusal.BAD_CONFIG, refused, leader());
        }
        SortedMap<Integer, String> next = new TreeMap<>(conf.get());
        next.put(node, address);
        if (!next.equals(conf.get())) {
            LOG.info("Adding node {} at {} to the cluster {}", node, address, MemberRegistry.format(conf.get()));
            Reply failed = setConfiguration(next);
            if (failed != null) {
                return failed;
            }
        }
        store(next, null);
        return Reply.members(next, leader(), server.committedIndex());
    }

    private Reply removeNow(int node) {
        Optional<SortedMap<Integer, String>> conf = server.configuration();
        if (!server.isReadyLeader() || conf.isEmpty()) {
            return Reply.refused(Refusal.RETRY, "the metadata leader is changing; try again", leader());
        }
        if (!conf.get().containsKey(node)) {
            return Reply.refused(
                    Refusal.UNKNOWN_NODE,
                    "node " + node + " is not a member of the cluster; its members are "
                            + conf.get().keySet(),
                    leader());
        }
        String refused = refuseRemoval(conf.get(), live.get(), node);
        if (refused != null) {
            return Reply.refused(Refusal.CONFLICT, refused, leader());
        }
        SortedMap<Integer, String> next = new TreeMap<>(conf.get());
        next.remove(node);
        LOG.info("Removing node {} from the cluster {}", node, MemberRegistry.format(conf.get()));
        Reply failed = setConfiguration(next);
        if (failed != null) {
            return failed;
        }
        try {
            store(next, node);
        } catch (RuntimeException e) {
            // this leader removed itself: the next leader stores the members (reconcile)
            LOG.info("Members not stored by the removed leader ({}); the next leader stores them", e.toString());
        }
        return Reply.members(next, leader(), server.committedIndex());
    }

    private Reply setConfiguration(SortedMap<Integer, String> next) {
        try {
            RaftClientReply reply = admin.admin().setConfiguration(MetadataServer.raftPeers(next));
            if (reply.isSuccess()) {
                return null;
            }
            return Reply.refused(
                    Refusal.RETRY, "the metadata group did not change its members: " + reply.getException(), leader());
        } catch (IOException | RuntimeException e) {
            return Reply.refused(Refusal.RETRY, "the metadata group did not change its members: " + e, leader());
        }
    }

    /**
     * On the leader: stores the Raft configuration as the members when they differ (a change whose
     * leader stopped before storing it; a cluster that has not stored them yet).
     */
    void reconcile() {
        Optional<SortedMap<Integer, String>> conf = server.configuration();
        if (conf.isEmpty()) {
            return;
        }
        Optional<SortedMap<Integer, String>> stored = MemberRegistry.stored(registry.configs());
        if (stored.isEmpty() || !stored.get().equals(conf.get())) {
            LOG.info("Storing the cluster's members {}", MemberRegistry.format(conf.get()));
            Integer removed = stored.map(s -> s.keySet().stream()
                            .filter(n -> !conf.get().containsKey(n))
                            .findFirst()
                            .orElse(null))
                    .orElse(null);
            store(conf.get(), removed);
        }
    }

    private void store(SortedMap<Integer, String> members, Integer removed) {
        Map<String, byte[]> change = new LinkedHashMap<>();
        change.put(MemberRegistry.MEMBERS, MemberRegistry.encode(members));
        if (registry.configs().get(MemberRegistry.CLUSTER_ID) == null) {
            change.put(MemberRegistry.CLUSTER_ID, clusterId(members).getBytes(StandardCharsets.UTF_8));
        }
        if (removed != null) {
            change.put(ClusterState.MEMBER + removed, null);
        }
        Optional<SortedMap<Integer, String>> before = MemberRegistry.stored(registry.configs());
        configLog.write(ConfigStore.TOPIC, change);
        registry.refresh();
        if (before.isPresent() && !before.get().equals(members)) {
            try {
                listener.membersChanged(members);
            } catch (RuntimeException e) {
                LOG.warn("A members listener failed", e);
            }
        }
    }

    /** The id a cluster first started with {@code members} has had since before members were stored. */
    static String clusterId(SortedMap<Integer, String> members) {
        String peers = Peer.format(members.entrySet().stream()
                .map(e -> Peer.parse(e.getKey() + "@" + e.getValue()))
                .toList());
        return UUID.nameUUIDFromBytes(peers.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private int leader() {
        return server.leader().orElse(-1);
    }

    @Override
    public void close() {
        changes.shutdownNow();
    }
}
