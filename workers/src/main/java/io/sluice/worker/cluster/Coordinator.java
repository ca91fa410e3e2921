package io.sluice.worker.cluster;

import io.sluice.worker.cluster.ClusterState.Assignment;
import io.sluice.worker.cluster.ClusterState.Member;
import io.sluice.worker.cluster.ClusterState.Owner;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.store.StatusStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the metadata leader does: answers heartbeats (refusing a worker that is no longer a member;
 * a worker whose seed list differs is only warned about), hands join and removal requests to
 * {@link MembershipChange}, declares a worker dead after a session without heartbeats, and assigns
 * connectors and tasks over the live members whenever membership or the connectors change. Each assignment is one committed entry
 * guarded by the generation it was computed from. On every worker the loop runs, but only the leader
 * acts.
 *
 * <p>Threading: {@link #tick()} runs on one thread; {@link #answer} on Ratis's threads.
 */
final class Coordinator {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final int self;
    private final String selfWorkerId;
    private final MemberRegistry members;
    private volatile MembershipChange changes;
    /** The members live at the last tick (the leader's view), for membership changes. */
    private volatile Set<Integer> liveMembers = Set.of();
    /** Node → the seed list it was last warned about (one warning per list). */
    private final Map<Integer, String> warnedSeeds = new java.util.concurrent.ConcurrentHashMap<>();

    private final MetadataServer server;
    private final RaftConfigLog configLog;
    private final ClusterState state;
    private final ConfigStore configs;
    private final CompactedTopicMap status;
    private final Liveness liveness;
    private long leadingTerm = -1;
    private final long graceMillis;
    /** A worker silent this long is probed; one found gone is dead without waiting for its session. */
    private final long probeAfterMillis;

    private final CrashProbe crashes;
    /** While following: the leader and when it was last heard, so a new leader need not wait a whole session for it. */
    private long[] lastLeaderContact;

    Coordinator(
            int self,
            String selfWorkerId,
            MemberRegistry members,
            MetadataServer server,
            RaftConfigLog configLog,
            ClusterState state,
            CompactedTopicMap status,
            long sessionTimeoutMillis,
            long heartbeatIntervalMillis,
            CrashProbe crashes) {
        this.graceMillis = 2 * heartbeatIntervalMillis;
        this.probeAfterMillis = 3 * heartbeatIntervalMillis;
        this.crashes = crashes;
        this.self = self;
        this.selfWorkerId = selfWorkerId;
        this.members = members;
        this.server = server;
        this.configLog = configLog;
        this.state = state;
        this.configs = new ConfigStore(state.map());
        this.status = status;
        this.liveness = new Liveness(sessionTimeoutMillis);
    }

    void changeMembersThrough(MembershipChange changes) {
        this.changes = changes;
    }

    /** The members the leader heard within their session at its last tick. */
    Set<Integer> liveMembers() {
        return liveMembers;
    }

    /** A query from a worker to the leader (this worker, if Ratis routed it here). */
    CompletableFuture<Query.Reply> answer(Query query) {
        int leader = server.leader().orElse(self);
        MembershipChange change = changes;
        return switch (query.type()) {
            case Query.HEARTBEAT -> CompletableFuture.completedFuture(heartbeat(query, leader));
            case Query.LIVENESS ->
                CompletableFuture.completedFuture(
                        new Query.Reply(null, leader, liveness.ages(System.currentTimeMillis())));
            case Query.MEMBERS ->
                CompletableFuture.completedFuture(server.configuration()
                        .map(conf -> Query.Reply.members(conf, leader, server.committedIndex()))
                        .orElseGet(() -> Query.Reply.refused(
                                Query.Refusal.RETRY, "a membership change is in progress", leader)));
            case Query.JOIN ->
                change == null
                        ? CompletableFuture.completedFuture(
                                Query.Reply.refused(Query.Refusal.RETRY, "the leader is starting", leader))
                        : change.join(query.node(), query.address());
            case Query.REMOVE ->
                change == null
                        ? CompletableFuture.completedFuture(
                                Query.Reply.refused(Query.Refusal.RETRY, "the leader is starting", leader))
                        : change.remove(query.node());
            default ->
                CompletableFuture.completedFuture(new Query.Reply("unknown query type " + query.type(), leader, null));
        };
    }

    private Query.Reply heartbeat(Query query, int leader) {
        Optional<SortedMap<Integer, String>> conf = server.configuration();
        if (conf.isPresent()) {
            String address = conf.get().get(query.node());
            if (address == null) {
                return Query.Reply.refused(
                        Query.Refusal.NOT_A_MEMBER,
                        "node " + query.node() + " is not a member of the cluster "
                                + MemberRegistry.format(conf.get())
                                + " (it was removed); start it with sluice.cluster.join=<a member's host:port> to"
                                + " join again",
                        leader);
            }
            if (query.address() != null && !query.address().equals(address)) {
                return Query.Reply.refused(
                        Query.Refusal.BAD_CONFIG,
                        "node id " + query.node() + " is the member at " + address + ", but this worker is at "
                                + query.address() + "; give it another sluice.cluster.node-id",
                        leader);
            }
            warnIfSeedDiffers(query, conf.get());
        }
        liveness.heard(query.node(), query.workerId(), System.currentTimeMillis());
        return new Query.Reply(null, leader, null, server.committedIndex());
    }

    private void warnIfSeedDiffers(Query query, SortedMap<Integer, String> conf) {
        if (query.peers() == null || query.peers().isEmpty()) {
            return;
        }
        String seed = query.peers();
        try {
            if (MemberRegistry.of(Peer.parseList(seed)).equals(conf)) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // a malformed list is a differing one
        }
        if (!seed.equals(warnedSeeds.put(query.node(), seed))) {
            LOG.warn(
                    "Node {} has sluice.cluster.peers={}, which differs from the cluster's members {}; the members"
                            + " stored in the cluster win (the list only seeds a new cluster)",
                    query.node(),
                    seed,
                    MemberRegistry.format(conf));
        }
    }

    void tick() {
        if (!server.isReadyLeader()) {
            leadingTerm = -1;
            server.leaderContact().ifPresent(c -> lastLeaderContact = c);
            return;
        }
        long now = System.currentTimeMillis();
        long term = server.term();
        Map<Integer, Member> members = state.members();
        if (term != leadingTerm) {
            leadingTerm = term;
            List<Integer> alive = members.values().stream()
                    .filter(Member::alive)
                    .map(Member::node)
                    .toList();
            liveness.restart(alive, now);
            if (lastLeaderContact != null && lastLeaderContact[0] != self) {
                // the previous leader was last heard as Raft leader then; its session runs from there,
                // but it keeps a few heartbeats' grace in case it was only stalled
                long minimum = now - liveness.sessionTimeoutMillis() + graceMillis;
                liveness.heard((int) lastLeaderContact[0], null, Math.max(lastLeaderContact[1], minimum));
            }
            LOG.info("Leading the metadata group (term {}); members {} have one session to heart-beat", term, alive);
        }
        liveness.heard(self, selfWorkerId, now);
        MembershipChange change = changes;
        if (change != null) {
            change.reconcile();
        }
        List<Peer> peers = this.members.peers();
        SortedSet<Integer> live = new TreeSet<>();
        SortedSet<Integer> crashed = new TreeSet<>();
        for (Peer p : peers) {
            if (p.id() == self) {
                live.add(p.id());
                continue;
            }
            long heard = liveness.lastHeard(p.id());
            if (heard >= 0 && crashes.goneSince(p.id(), heard)) {
                crashed.add(p.id());
            } else if (liveness.alive(p.id(), now)) {
                live.add(p.id());
                if (now - heard > probeAfterMillis) {
                    crashes.request(p.id());
                }
            }
        }
        liveMembers = Set.copyOf(live);
        Map<String, byte[]> changes = new LinkedHashMap<>();
        for (Integer gone : members.keySet()) {
            if (!this.members.contains(gone)) {
                changes.put(ClusterState.MEMBER + gone, null);
                LOG.info("Worker {} is no longer a member; its work moves to {}", gone, live);
            }
        }
        for (Peer p : peers) {
            Member m = members.get(p.id());
            boolean alive = live.contains(p.id());
            String workerId =
                    liveness.workerId(p.id()) != null ? liveness.workerId(p.id()) : m == null ? null : m.workerId();
            if (alive && (m == null || !m.alive() || !java.util.Objects.equals(m.workerId(), workerId))) {
                changes.put(
                        ClusterState.MEMBER + p.id(), ClusterState.encode(new Member(p.id(), workerId, "ALIVE", now)));
                LOG.info("Worker {} ({}) is a live member", p.id(), workerId);
            } else if (!alive && m != null && m.alive()) {
                changes.put(
                        ClusterState.MEMBER + p.id(),
                        ClusterState.encode(new Member(p.id(), m.workerId(), "DEAD", now)));
                LOG.warn(
                        crashed.contains(p.id())
                                ? "Worker {} ({}) stopped heart-beating and nothing listens on its cluster port;"
                                        + " its work moves to {}"
                                : "Worker {} ({}) missed heartbeats for a session; its work moves to {}",
                        p.id(),
                        m.workerId(),
                        live);
            }
        }
        long generation = state.generation();
        Map<String, byte[]> statusChanges = reassign(live, generation, changes);
        if (changes.isEmpty()) {
            return;
        }
        changes.put(ClusterState.GENERATION, ClusterState.encodeGeneration(generation + 1));
        Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
        all.put(ConfigStore.TOPIC, changes);
        if (!statusChanges.isEmpty()) {
            all.put(StatusStore.TOPIC, statusChanges);
        }
        String result = configLog.submit(new Command(generation, all));
        LOG.debug("Assignment generation {}: {}", generation + 1, result);
    }

    /** Adds changed assignments to {@code changes}; returns the status changes that go with them. */
    private Map<String, byte[]> reassign(SortedSet<Integer> live, long generation, Map<String, byte[]> changes) {
        SortedMap<String, Integer> taskCounts = new TreeMap<>();
        for (String name : configs.connectors()) {
            taskCounts.put(name, configs.taskConfigs(name).size());
        }
        Map<String, Assignment> current = state.assignments();
        Map<String, Assignment> next = TaskAssignor.assign(live, taskCounts, current, generation + 1);
        Map<String, byte[]> statusChanges = new LinkedHashMap<>();
        Map<String, byte[]> statuses = status.snapshot();
        next.forEach((name, a) -> {
            Assignment before = current.get(name);
            if (a.equals(before)) {
                return;
            }
            changes.put(ClusterState.ASSIGNMENT + name, ClusterState.encode(a));
            for (int i = 0; i < a.tasks().size(); i++) {
                Owner o = a.tasks().get(i);
                if (o.epoch() == generation + 1) {
                    statusChanges.put("task/" + name + "/" + i, unassigned(o));
                }
            }
            if (before != null) {
                for (int i = a.tasks().size(); i < before.tasks().size(); i++) {
                    statusChanges.put("task/" + name + "/" + i, null);
                }
            }
        });
        current.keySet().stream().filter(n -> !next.containsKey(n)).forEach(name -> {
            changes.put(ClusterState.ASSIGNMENT + name, null);
            statuses.keySet().stream()
                    .filter(k -> k.equals("connector/" + name) || k.startsWith("task/" + name + "/"))
                    .forEach(k -> statusChanges.put(k, null));
        });
        return statusChanges;
    }

    private byte[] unassigned(Owner o) {
        String workerId = liveness.workerId(o.node());
        return StatusStore.encode(new StatusStore.Entry(
                "UNASSIGNED",
                workerId == null ? "node-" + o.node() : workerId,
                null,
                System.currentTimeMillis(),
                null,
                o.epoch()));
    }

    Map<Integer, Long> livenessAges() {
        return liveness.ages(System.currentTimeMillis());
    }
}
