package io.sluice.log.replication;

import io.sluice.log.TopicPartition;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyExistsException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a partition's replicas to a target list of nodes, copying the data before any replica is
 * dropped. The steps, each idempotent, re-decided from the group's current Raft configuration on every
 * round (so a call that failed or a caller that crashed is resumed by calling again with the same
 * target):
 *
 * <ol>
 *   <li>the group is added, empty, to each new node's Raft server (it learns its configuration from
 *       the leader);
 *   <li>the configuration becomes old ∪ target: Ratis first brings the new replicas up to date
 *       (staging) from its log, or, when the leader purged the entries they need, by a
 *       {@link PartitionCopy} of the leader's snapshot (records and fencing state), and only then
 *       counts them in the majority; nodes that leave get priority 0, the target's first node the
 *       highest, so leadership moves into the target;
 *   <li>leadership is transferred to the target's first replica when the leader leaves;
 *   <li>the configuration becomes the target;
 *   <li>each node outside the target that still hosts the group removes it: Ratis deletes its storage
 *       and the node's local partition log is emptied ({@link PartitionStateMachine#notifyGroupRemove}).
 * </ol>
 *
 * Appends continue throughout: every configuration keeps a majority of caught-up replicas, and
 * nothing acknowledged is dropped before the target's majority holds it. A node that is down when its
 * replica is dropped keeps its stale copy; {@link Result#leftBehind()} names it and a later call with
 * the same target removes it once it answers.
 *
 * <p>Threading: one call at a time per partition (the caller's job: the cluster's balancer runs moves
 * one after the other); blocking until done or {@code timeout}.
 */
final class PartitionReassignment {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionReassignment.class);
    private static final long ROUND_PAUSE_MS = 500;

    /** What a finished reassignment did. */
    record Result(List<String> from, List<String> to, List<String> dropped, List<String> leftBehind) {}

    private final ReplicationClient client;
    private final ReplicationSettings settings;

    PartitionReassignment(ReplicationClient client, ReplicationSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    Result run(TopicPartition tp, List<String> target, Duration timeout) throws InterruptedException {
        validate(tp, target);
        RaftGroupId id = ClusterPeers.partitionGroupId(tp.topic(), tp.partition());
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> from = null;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Conf conf = currentConf(tp, id);
                if (from == null) {
                    from = conf.oldPeers().isEmpty() ? conf.peers() : conf.oldPeers();
                    LOG.info("{}: moving replicas from {} to {}", tp, from, target);
                }
                if (!conf.oldPeers().isEmpty() || !conf.peersByPriority().equals(target)) {
                    step(tp, id, conf, target, deadline);
                    continue;
                }
                Result result = dropOthers(tp, id, from, target);
                client.forget(id);
                LOG.info(
                        "{}: replicas moved to {} (dropped on {}, left behind on {})",
                        tp,
                        target,
                        result.dropped(),
                        result.leftBehind());
                return result;
            } catch (IOException | RuntimeException e) {
                if (e instanceof IllegalArgumentException) {
                    throw (IllegalArgumentException) e;
                }
                last = e;
                LOG.info("{}: moving to {} not done yet, trying again: {}", tp, target, e.toString());
                client.forget(id);
                Thread.sleep(ROUND_PAUSE_MS);
            }
        }
        throw new ReplicationException(
                "moving " + tp + " to " + target + " did not finish within " + timeout + ": " + last, last);
    }

    private void validate(TopicPartition tp, List<String> target) {
        if (target.isEmpty()) {
            throw new IllegalArgumentException("replicas of " + tp + " must name at least one node");
        }
        if (new LinkedHashSet<>(target).size() != target.size()) {
            throw new IllegalArgumentException("replicas " + target + " of " + tp + " name a node twice");
        }
        for (String node : target) {
            if (!client.peers().contains(node)) {
                throw new IllegalArgumentException("replica " + node + " of " + tp + " is not a node of the cluster "
                        + client.peers().addresses().keySet());
            }
        }
    }

    /** One configuration change towards {@code target}; the caller reads the configuration again after it. */
    private void step(TopicPartition tp, RaftGroupId id, Conf conf, List<String> target, long deadline)
            throws IOException {
        if (!conf.oldPeers().isEmpty()) {
            throw new IOException("a configuration change of " + tp + " is under way (" + conf.oldPeers() + " → "
                    + conf.peers() + ")");
        }
        List<String> current = conf.peers();
        List<String> leaving = current.stream().filter(n -> !target.contains(n)).toList();
        RaftGroup now = group(id, current, List.of(), conf);
        if (!current.containsAll(target)) {
            for (String node : target) {
                if (!current.contains(node)) {
                    addEmptyGroup(id, node);
                }
            }
            setConfiguration(tp, now, group(id, target, leaving, conf), deadline);
        } else if (!leaving.isEmpty() && !target.contains(conf.leader())) {
            transferLeadership(tp, now, target.get(0));
        } else {
            setConfiguration(tp, now, group(id, target, List.of(), conf), deadline);
        }
    }

    /**
     * The group with {@code members} in priority order followed by {@code leaving} at priority 0. A
     * node the cluster no longer knows (a removed worker whose replicas move away) keeps the address
     * the group's configuration has for it.
     */
    private RaftGroup group(RaftGroupId id, List<String> members, List<String> leaving, Conf conf) {
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            peers.add(peer(members.get(i), members.size() - i, conf));
        }
        leaving.forEach(n -> peers.add(peer(n, 0, conf)));
        return RaftGroup.valueOf(id, peers);
    }

    private RaftPeer peer(String node, int priority, Conf conf) {
        if (client.peers().contains(node) || !conf.addresses().containsKey(node)) {
            return client.peers().peer(node, priority);
        }
        return RaftPeer.newBuilder()
                .setId(node)
                .setAddress(conf.addresses().get(node))
                .setPriority(priority)
                .build();
    }

    private void addEmptyGroup(RaftGroupId id, String node) throws IOException {
        try {
            client.groupAdmin(node).add(RaftGroup.valueOf(id));
        } catch (AlreadyExistsException e) {
            // added in an earlier round
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("already exists")) {
                throw new IOException("node " + node + " could not open the partition's Raft group: " + e, e);
            }
        }
    }

    private void setConfiguration(TopicPartition tp, RaftGroup now, RaftGroup next, long deadline) throws IOException {
        LOG.info("{}: Raft configuration → {}", tp, next.getPeers());
        try (RaftClient raft = adminClient(now, deadline)) {
            RaftClientReply reply = raft.admin().setConfiguration(List.copyOf(next.getPeers()));
            if (!reply.isSuccess()) {
                throw new IOException(
                        "configuration change of " + tp + " refused: " + reply.getException(), reply.getException());
            }
        }
    }

    private void transferLeadership(TopicPartition tp, RaftGroup now, String to) throws IOException {
        LOG.info("{}: handing leadership to {} before the leader leaves", tp, to);
        try (RaftClient raft =
                adminClient(now, System.nanoTime() + settings.operationTimeout().toNanos())) {
            RaftClientReply reply = raft.admin()
                    .transferLeadership(
                            RaftPeerId.valueOf(to), settings.operationTimeout().toMillis());
            if (!reply.isSuccess()) {
                throw new IOException("leadership of " + tp + " not handed to " + to + ": " + reply.getException());
            }
        }
    }

    /**
     * A client of its own for one configuration change: it retries (with the same call id, so Ratis
     * answers a retry from its cache) while the new replicas catch up, which may take a copy's time.
     */
    private RaftClient adminClient(RaftGroup group, long deadline) {
        long leftMs = Math.max(1_000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        long sleep = 500;
        return RaftClient.newBuilder()
                .setProperties(settings.clientProperties())
                .setParameters(settings.parameters())
                .setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                        (int) Math.max(
                                1, leftMs / (sleep + settings.requestTimeout().toMillis())),
                        TimeDuration.valueOf(sleep, TimeUnit.MILLISECONDS)))
                .build();
    }

    /**
     * Removes the group from every node outside {@code target} that still hosts it. Each such node is
     * asked to remove it (not first asked whether it hosts it: a group-info call that times out on a
     * loaded node would leave a stale replica unnoticed); a node answering that it has no such group
     * is done, a node that does not answer is left behind.
     */
    private Result dropOthers(TopicPartition tp, RaftGroupId id, List<String> from, List<String> target) {
        List<String> dropped = new ArrayList<>();
        List<String> leftBehind = new ArrayList<>();
        for (String node : client.peers().nodeIds()) {
            if (target.contains(node)) {
                continue;
            }
            try {
                client.groupAdmin(node).remove(id, true, false);
                dropped.add(node);
                LOG.info("{}: replica on node {} dropped", tp, node);
            } catch (GroupMismatchException e) {
                // does not host the group (never did, or dropped in an earlier call)
            } catch (IOException e) {
                if (isGroupNotFound(e)) {
                    continue;
                }
                if (from.contains(node) || client.answers(node)) {
                    leftBehind.add(node);
                    LOG.warn("{}: the replica on node {} could not be dropped yet: {}", tp, node, e.toString());
                }
            }
        }
        return new Result(List.copyOf(from), List.copyOf(target), List.copyOf(dropped), List.copyOf(leftBehind));
    }

    private static boolean isGroupNotFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GroupMismatchException
                    || String.valueOf(t.getMessage()).contains("not found")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The group's configuration as its leader reports it; when the leader is a node the cluster no
     * longer knows (a removed worker still serving its replicas), as a follower that follows it reports
     * it (the configuration changes then go to that leader through the group's own addresses).
     */
    private Conf currentConf(TopicPartition tp, RaftGroupId id) throws IOException {
        List<String> hosts = new ArrayList<>();
        Conf ledByUnknown = null;
        for (String node : client.peers().nodeIds()) {
            GroupInfoReply info = client.info(RaftPeerId.valueOf(node), id);
            if (info == null || info.getConf().isEmpty()) {
                continue;
            }
            hosts.add(node);
            RaftConfigurationProto conf = info.getConf().get();
            if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                return conf(node, conf);
            }
            if (info.getRoleInfoProto().hasFollowerInfo()) {
                String leader = info.getRoleInfoProto()
                        .getFollowerInfo()
                        .getLeaderInfo()
                        .getId()
                        .getId()
                        .toStringUtf8();
                if (!leader.isEmpty() && !client.peers().contains(leader)) {
                    ledByUnknown = conf(leader, conf);
                }
            }
        }
        if (ledByUnknown != null) {
            return ledByUnknown;
        }
        if (hosts.isEmpty()) {
            throw new NotReplicatedException(tp + " is not replicated: no node of "
                    + client.peers().addresses().keySet() + " hosts its Raft group");
        }
        throw new IOException(tp + " has no leader among " + hosts + " yet");
    }

    private static Conf conf(String leader, RaftConfigurationProto conf) {
        return new Conf(
                leader,
                ids(conf.getPeersList(), false),
                ids(conf.getPeersList(), true),
                ids(conf.getOldPeersList(), false),
                addresses(conf));
    }

    private static List<String> ids(List<RaftPeerProto> peers, boolean byPriority) {
        List<RaftPeerProto> sorted = new ArrayList<>(peers);
        if (byPriority) {
            sorted.sort((a, b) -> Integer.compare(b.getPriority(), a.getPriority()));
        }
        return sorted.stream().map(p -> p.getId().toStringUtf8()).toList();
    }

    /** The leader's configuration: members (as stored, and by falling priority) and, mid-change, the old ones. */
    private record Conf(
            String leader,
            List<String> peers,
            List<String> peersByPriority,
            List<String> oldPeers,
            Map<String, String> addresses) {}

    private static Map<String, String> addresses(RaftConfigurationProto conf) {
        Map<String, String> out = new HashMap<>();
        conf.getOldPeersList().forEach(p -> out.put(p.getId().toStringUtf8(), p.getAddress()));
        conf.getPeersList().forEach(p -> out.put(p.getId().toStringUtf8(), p.getAddress()));
        return out;
    }
}
