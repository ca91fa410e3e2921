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
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the metadata leader does: answers heartbeats (refusing a worker whose peer list differs),
 * declares a worker dead after a session without heartbeats, and assigns connectors and tasks over the
 * live workers whenever membership or the connectors change. Each assignment is one committed entry
 * guarded by the generation it was computed from. On every worker the loop runs, but only the leader
 * acts.
 *
 * <p>Threading: {@link #tick()} runs on one thread; {@link #answer} on Ratis's threads.
 */
final class Coordinator {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final int self;
    private final String selfWorkerId;
    private final List<Peer> peers;
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
            List<Peer> peers,
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
        this.peers = peers;
        this.server = server;
        this.configLog = configLog;
        this.state = state;
        this.configs = new ConfigStore(state.map());
        this.status = status;
        this.liveness = new Liveness(sessionTimeoutMillis);
    }

    /** A query from a worker to the leader (this worker, if Ratis routed it here). */
    Query.Reply answer(Query query) {
        int leader = server.leader().orElse(self);
        if ("heartbeat".equals(query.type())) {
            List<Peer> theirs;
            try {
                theirs = Peer.parseList(query.peers());
            } catch (IllegalArgumentException e) {
                return new Query.Reply(e.getMessage(), leader, null);
            }
            String diff = Peer.differences(theirs, peers);
            if (!diff.isEmpty()) {
                LOG.warn(
                        "Refused node {}: its sluice.cluster.peers differs from the cluster's ({})",
                        query.node(),
                        diff);
                return new Query.Reply(
                        "sluice.cluster.peers of node " + query.node() + " differs from the cluster's: " + diff,
                        leader,
                        null);
            }
            liveness.heard(query.node(), query.workerId(), System.currentTimeMillis());
            return new Query.Reply(null, leader, null, server.committedIndex());
        }
        if ("liveness".equals(query.type())) {
            return new Query.Reply(null, leader, liveness.ages(System.currentTimeMillis()));
        }
        return new Query.Reply("unknown query type " + query.type(), leader, null);
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
        Map<String, byte[]> changes = new LinkedHashMap<>();
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
