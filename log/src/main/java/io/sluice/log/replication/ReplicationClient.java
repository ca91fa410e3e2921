package io.sluice.log.replication;

import io.sluice.log.AppendResult;
import io.sluice.log.Compression;
import io.sluice.log.FetchResult;
import io.sluice.log.OffsetOutOfRangeException;
import io.sluice.log.Record;
import io.sluice.log.TopicConfig;
import io.sluice.log.TopicPartition;
import io.sluice.log.format.BatchSplitter;
import io.sluice.log.format.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyExistsException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

/**
 * Talks to a cluster's replicated partitions from any process, whether or not it hosts replicas:
 * creates partition groups, appends (to whichever node leads), fences producers, fetches committed
 * records and reports placement and lag. Ratis' client finds the leader and follows leader changes.
 *
 * <p>Threading: thread-safe; calls block until done or until the operation timeout of
 * {@link ReplicationSettings} passes. Appends of one thread to one partition are stored in call order.
 * An append that failed with {@link ReplicationException} may still have been stored; one that
 * returned is on a majority of replicas. Appends that threads make to one partition at the same time
 * are combined into one Raft entry ({@link AppendCombiner}); each is still fenced and answered alone.
 * An append larger than one entry is split into several, sent in order, each once the previous one
 * was acknowledged (see {@link #append(String, int, List, long, int)}). Ratis' retry cache keeps a
 * retried request (same call) from being stored twice across leader changes.
 */
public final class ReplicationClient implements AutoCloseable {

    /** Room in a Raft entry for its own header beside the batch (13 bytes alone, 21 combined). */
    static final int ENTRY_FRAMING = 64;

    private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(200, TimeUnit.MILLISECONDS);

    /** Carried by the client that only sends group-management requests; no server hosts it. */
    private static final RaftGroupId ADMIN_GROUP = RaftGroupId.valueOf(
            java.util.UUID.nameUUIDFromBytes("sluice-admin".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    private final ClusterPeers peers;
    private final ReplicationSettings settings;
    private final RaftClient admin;
    private final Map<RaftGroupId, RaftGroup> groups = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, RaftClient> clients = new ConcurrentHashMap<>();
    private final Map<RaftGroupId, AppendCombiner> combiners = new ConcurrentHashMap<>();
    private final Map<String, RaftClient> directClients = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ReplicationClient(ClusterPeers peers, ReplicationSettings settings) {
        this.peers = peers;
        this.settings = settings;
        this.admin = RaftClient.newBuilder()
                .setProperties(settings.clientProperties())
                .setParameters(settings.parameters())
                .setRaftGroup(RaftGroup.valueOf(ADMIN_GROUP, peers.allPeers()))
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
        // a worker that joins the cluster later: group-management requests must reach it too
        peers.onAdded(peer -> admin.getClientRpc().addRaftPeers(List.of(peer)));
    }

    public ClusterPeers peers() {
        return peers;
    }

    /**
     * Creates the partition's Raft group on its {@code replicas} (placement order: the first is the
     * preferred leader) and initialises it with {@code config}; each replica creates the topic in its
     * local log if missing. Idempotent: call it again, for example when a replica that was down
     * comes back without the group. Needs a majority of the replicas up.
     *
     * @throws IllegalArgumentException when a replica is not in the peer list, a replica is named
     *     twice, or {@code partition} is not below {@code config.partitions()}
     * @throws PlacementMismatchException when the partition is already replicated on other nodes (see
     *     {@link #reassign})
     */
    public void ensurePartition(String topic, int partition, List<String> replicas, TopicConfig config) {
        TopicPartition tp = new TopicPartition(topic, partition);
        for (String r : replicas) {
            if (!peers.contains(r)) {
                throw new IllegalArgumentException("replica " + r + " of " + tp + " is not a node of the cluster "
                        + peers.addresses().keySet());
            }
        }
        if (partition >= config.partitions()) {
            throw new IllegalArgumentException(
                    "partition " + partition + " does not exist in a topic of " + config.partitions() + " partitions");
        }
        RaftGroup group = peers.group(ClusterPeers.partitionGroupId(topic, partition), replicas);
        for (RaftPeer peer : group.getPeers()) {
            GroupInfoReply existing = info(peer.getId(), group.getGroupId());
            if (existing != null) {
                List<String> current = existing.getGroup().getPeers().stream()
                        .map(p -> p.getId().toString())
                        .sorted()
                        .toList();
                // an empty list: the group is still opening on that node (just restarted), not placed elsewhere
                if (!current.isEmpty()
                        && !current.equals(replicas.stream().sorted().toList())) {
                    throw new PlacementMismatchException(
                            tp + " is already replicated on " + current + ", not on " + replicas
                                    + "; move it with reassign",
                            current);
                }
            }
        }
        ensureGroup(group);
        groups.put(group.getGroupId(), group);
        ByteBuffer reply = send(tp.toString(), group, PartitionMessages.init(topic, partition, config.toMap()), false);
        check(tp, reply);
    }

    /**
     * Adds {@code group} to the Raft server of each of its members that answers (members that have it
     * already are fine). Used for partition groups and for groups with state machines of their own
     * (see {@link ReplicaNode.Builder#stateMachine}).
     *
     * @throws ReplicationException when fewer than a majority of the members accepted it
     */
    public void ensureGroup(RaftGroup group) {
        List<String> failures = new ArrayList<>();
        int ok = 0;
        for (RaftPeer peer : group.getPeers()) {
            try {
                admin.getGroupManagementApi(peer.getId()).add(group);
                ok++;
            } catch (AlreadyExistsException e) {
                ok++;
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).contains("already exists")) {
                    ok++;
                } else {
                    failures.add(peer.getId() + ": " + e);
                }
            }
        }
        if (ok <= group.getPeers().size() / 2) {
            throw new ReplicationException("could not create Raft group " + group.getGroupId() + " on a majority of "
                    + group.getPeers() + ": " + failures);
        }
    }

    /**
     * Moves the partition's replicas to {@code target} (placement order: the first becomes the
     * preferred leader), copying the data to new replicas before old ones are dropped, then empties
     * the partition on each node that left (see {@link PartitionReassignment}). Appends continue
     * meanwhile; nothing acknowledged is lost. Blocking; idempotent: calling it again with the same
     * target resumes a move that a failure or a crash of the caller interrupted, and returns at once
     * when the move is complete. Run one move of a partition at a time.
     *
     * @return the nodes the replicas moved from, and those whose replica could not be dropped yet
     *     (down: call again once they answer)
     * @throws IllegalArgumentException when a target node is not in the peer list or is named twice
     * @throws ReplicationException when the move did not finish within {@code timeout} (call again)
     */
    public Reassignment reassign(String topic, int partition, List<String> target, java.time.Duration timeout)
            throws InterruptedException {
        PartitionReassignment.Result r = new PartitionReassignment(this, settings)
                .run(new TopicPartition(topic, partition), List.copyOf(target), timeout);
        return new Reassignment(r.from(), r.to(), r.dropped(), r.leftBehind());
    }

    /** What {@link #reassign} did: replicas before and after, and where old ones were (not yet) dropped. */
    public record Reassignment(List<String> from, List<String> to, List<String> dropped, List<String> leftBehind) {}

    /** Group management requests to one node's Raft server. */
    org.apache.ratis.client.api.GroupManagementApi groupAdmin(String nodeId) {
        return admin.getGroupManagementApi(RaftPeerId.valueOf(nodeId));
    }

    /** Whether {@code nodeId}'s Raft server answers at all. */
    boolean answers(String nodeId) {
        try {
            admin.getGroupManagementApi(RaftPeerId.valueOf(nodeId)).list();
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Drops what this client remembers of a group (its members moved): the next call learns it again. */
    void forget(RaftGroupId id) {
        groups.remove(id);
        RaftClient stale = clients.remove(id);
        if (stale != null) {
            closeQuietly(stale);
        }
    }

    /**
     * Appends one encoded record batch (see {@link RecordBatch}) written by {@code producerId} at
     * {@code epoch}, returning the offsets it received once a majority of replicas stored it.
     * {@code producerId} -1 skips fencing. A batch larger than one Raft entry is decoded and stored as
     * several batches, as {@link #append(String, int, List, long, int)} does.
     *
     * @throws StaleEpochException when the partition saw a higher epoch from this producer
     * @throws NotReplicatedException when no node hosts the partition
     * @throws PartialAppendException when a split append failed after some of its entries were stored
     */
    public AppendResult append(String topic, int partition, ByteBuffer batch, long producerId, int epoch) {
        TopicPartition tp = new TopicPartition(topic, partition);
        RecordBatch wrapped = RecordBatch.wrap(batch);
        wrapped.ensureValid("append to " + tp);
        if (wrapped.sizeInBytes() <= largestBatchBytes()) {
            return appendParts(tp, List.of(batch), List.of(wrapped.recordCount()), producerId, epoch);
        }
        List<Record> records = wrapped.records().stream()
                .map(io.sluice.log.StoredRecord::toRecord)
                .toList();
        return appendParts(tp, splitForEntries(tp, records, wrapped.compression(), epoch), null, producerId, epoch);
    }

    /**
     * Appends {@code records}, any number and total size, stored in this order at consecutive
     * offsets: as one batch in one Raft entry when they fit, else as several batches, each in its own
     * entry, sent one after the other (each once the previous one was acknowledged) with no other
     * append of this client to the partition between them. Returns once every entry is on a majority
     * of replicas. When entry k of n fails, entries 1..k-1 stay stored and {@link PartialAppendException}
     * says how many records they hold, so a retry can send only the rest (nothing is lost or reordered;
     * a retry of the whole append stores the acknowledged part twice).
     *
     * @throws IllegalArgumentException when a single record does not fit one Raft entry (see
     *     {@link ReplicationSettings#largestRecordBytes()})
     * @throws PartialAppendException when the append failed after some of its entries were stored
     */
    public AppendResult append(String topic, int partition, List<Record> records, long producerId, int epoch) {
        TopicPartition tp = new TopicPartition(topic, partition);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("nothing to append to " + tp);
        }
        return appendParts(tp, splitForEntries(tp, records, Compression.NONE, epoch), null, producerId, epoch);
    }

    /** The largest record batch one Raft entry holds. */
    int largestBatchBytes() {
        return settings.maxEntryBytes() - ENTRY_FRAMING;
    }

    private List<ByteBuffer> splitForEntries(TopicPartition tp, List<Record> records, Compression c, int epoch) {
        List<ByteBuffer> batches = BatchSplitter.encode(records, c, epoch, largestBatchBytes());
        for (ByteBuffer b : batches) {
            if (b.remaining() > largestBatchBytes()) {
                throw new IllegalArgumentException("a record of " + b.remaining() + " bytes (encoded alone) for "
                        + tp + " exceeds the largest replicated entry of " + settings.maxEntryBytes()
                        + " bytes, which holds records up to " + settings.largestRecordBytes()
                        + " bytes; raise the cluster's largest entry (ReplicationSettings.maxEntryBytes) or"
                        + " keep the topic's max.message.bytes within it");
            }
        }
        return batches;
    }

    /**
     * Sends {@code batches} as consecutive entries and returns the offsets from the first to the last.
     * {@code counts}: records per batch when known (null: read from the batches).
     */
    private AppendResult appendParts(
            TopicPartition tp, List<ByteBuffer> batches, List<Integer> counts, long producerId, int epoch) {
        RaftGroup group = groupOf(tp);
        AppendCombiner combiner = combiners.computeIfAbsent(group.getGroupId(), id -> combiner(tp, group));
        List<PartitionMessages.Item> parts = batches.stream()
                .map(b -> new PartitionMessages.Item(producerId, epoch, b))
                .toList();
        AppendCombiner.Replies outcome;
        try {
            outcome = combiner.appendAll(parts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationException("append to " + tp + " interrupted; it may or may not be stored", e);
        }
        long first = -1;
        long last = -1;
        int acknowledgedRecords = 0;
        for (int i = 0; i < outcome.replies().size(); i++) {
            ByteBuffer reply = outcome.replies().get(i);
            if (i > 0 && reply.get(reply.position()) != PartitionMessages.OK) {
                RuntimeException refused = replyFailure(tp, reply);
                if (refused instanceof StaleEpochException) {
                    throw refused; // fenced: the rest must not be stored by this producer at all
                }
                throw new PartialAppendException(
                        tp, acknowledgedRecords, new AppendResult(first, last), batches.size(), i, refused);
            }
            check(tp, reply);
            long base = reply.getLong();
            last = reply.getLong();
            first = i == 0 ? base : first;
            acknowledgedRecords += counts != null
                    ? counts.get(i)
                    : RecordBatch.wrap(batches.get(i)).recordCount();
        }
        if (outcome.failure() != null) {
            if (outcome.replies().isEmpty()) {
                throw outcome.failure();
            }
            throw new PartialAppendException(
                    tp,
                    acknowledgedRecords,
                    new AppendResult(first, last),
                    batches.size(),
                    outcome.replies().size(),
                    outcome.failure());
        }
        return new AppendResult(first, last);
    }

    /** The exception a failure reply stands for. */
    private static RuntimeException replyFailure(TopicPartition tp, ByteBuffer reply) {
        try {
            check(tp, reply.duplicate());
            return new ReplicationException(tp + ": unexpected OK reply");
        } catch (RuntimeException e) {
            return e;
        }
    }

    private AppendCombiner combiner(TopicPartition tp, RaftGroup group) {
        return new AppendCombiner(settings.maxEntryBytes() - ENTRY_FRAMING, items -> {
            if (items.size() == 1) {
                PartitionMessages.Item one = items.get(0);
                return List.of(send(
                        tp.toString(),
                        groupOf(tp),
                        PartitionMessages.append(one.producerId(), one.epoch(), one.batch()),
                        false));
            }
            ByteBuffer many = send(tp.toString(), groupOf(tp), PartitionMessages.appendMany(items), false);
            check(tp, many);
            return PartitionMessages.readMany(many);
        });
    }

    /**
     * Raises {@code producerId}'s epoch on the partition to {@code epoch} without appending: from then
     * on its appends with a lower epoch are rejected (a new task owner fences the old one this way).
     *
     * @throws StaleEpochException when the partition already saw a higher epoch
     */
    public void fence(String topic, int partition, long producerId, int epoch) {
        TopicPartition tp = new TopicPartition(topic, partition);
        check(tp, send(tp.toString(), groupOf(tp), PartitionMessages.fence(producerId, epoch), false));
    }

    /**
     * Reads committed batches from {@code offset} on the partition's leader: at least one whole
     * batch if any, otherwise up to {@code maxBytes}.
     *
     * @throws OffsetOutOfRangeException when {@code offset} is below the log start or past its end
     */
    public FetchResult fetch(String topic, int partition, long offset, int maxBytes) {
        TopicPartition tp = new TopicPartition(topic, partition);
        return fetch(tp, groupOf(tp), offset, maxBytes);
    }

    /** As {@link #fetch(String, int, long, int)} from a group known to the caller. */
    FetchResult fetch(TopicPartition tp, RaftGroup group, long offset, int maxBytes) {
        // a reply holds max(maxBytes, first batch): within one entry's size it stays under the RPC limit
        int bounded = Math.min(maxBytes, settings.maxEntryBytes());
        ByteBuffer reply = send(tp.toString(), group, PartitionMessages.fetch(offset, bounded), true);
        return fetchReply(tp, offset, reply);
    }

    /**
     * The latest snapshot of the partition replica on {@code node} (its leader, normally), for a
     * replica that must copy the partition because the leader no longer holds the Raft entries it
     * lacks. Read straight from that node's state machine (a Ratis stale read), not through the
     * leader's read path: a leader whose other followers are down cannot serve reads until this very
     * replica catches up and acknowledges its entries.
     *
     * @throws ReplicationException when that node has no snapshot or cannot be reached
     */
    PartitionMessages.SnapshotPoint snapshotPoint(RaftGroup group, RaftPeerId node) {
        String what = "partition group " + group.getGroupId() + " on node " + node;
        ByteBuffer reply = sendTo(what, group, node, PartitionMessages.snapshotPoint());
        byte status = reply.get();
        if (status != PartitionMessages.OK) {
            throw new ReplicationException(what + ": " + PartitionMessages.readText(reply));
        }
        return PartitionMessages.readSnapshotPoint(reply);
    }

    /** Committed batches from {@code node}'s replica of the partition (see {@link #snapshotPoint}). */
    FetchResult fetchFrom(TopicPartition tp, RaftGroup group, RaftPeerId node, long offset, int maxBytes) {
        ByteBuffer reply = sendTo(tp + " on node " + node, group, node, PartitionMessages.fetch(offset, maxBytes));
        return fetchReply(tp, offset, reply);
    }

    /** The batches of a FETCH reply; throws for an out-of-range or failed one. */
    private static FetchResult fetchReply(TopicPartition tp, long offset, ByteBuffer reply) {
        byte status = reply.get(0);
        if (status == PartitionMessages.OUT_OF_RANGE) {
            reply.get();
            throw new OffsetOutOfRangeException(tp, offset, reply.getLong(), reply.getLong());
        }
        check(tp, reply);
        return PartitionMessages.readFetch(reply);
    }

    private ByteBuffer sendTo(String what, RaftGroup group, RaftPeerId node, Message message) {
        RaftClientReply reply;
        try {
            reply = directClient(group.getGroupId(), node).io().sendStaleRead(message, 0, node);
        } catch (IOException e) {
            throw new ReplicationException("read from " + what + " failed: " + e, e);
        }
        if (!reply.isSuccess()) {
            throw new ReplicationException(
                    "read from " + what + " failed: " + reply.getException(), reply.getException());
        }
        return PartitionMessages.buffer(reply.getMessage());
    }

    /**
     * The partition's log start, end offset and size on its leader: a read through the leader (as
     * {@link #fetch} is), so every caller sees the same committed state. Blocks while the partition
     * has no leader, up to the operation timeout.
     *
     * @throws NotReplicatedException when no node hosts the partition
     * @throws ReplicationException when the leader cannot be reached
     */
    public PartitionOffsets offsets(String topic, int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        ByteBuffer reply = send(tp.toString(), groupOf(tp), PartitionMessages.status(), true);
        check(tp, reply);
        return PartitionMessages.readStatus(reply);
    }

    /** The nodes holding the partition, in placement order (the first is the preferred leader). */
    public List<String> replicas(String topic, int partition) {
        return groupOf(new TopicPartition(topic, partition)).getPeers().stream()
                .map(p -> p.getId().toString())
                .toList();
    }

    /** The partition's current leader, if its replicas know one. */
    public Optional<String> leader(String topic, int partition) {
        return status(topic, partition).leader();
    }

    /** Asks every replica of the partition for its role and applied index; unreachable ones say so. */
    public PartitionStatus status(String topic, int partition) {
        return new PartitionStatusQuery(this).run(new TopicPartition(topic, partition));
    }

    /** The node ids of a group's members. */
    static java.util.Set<RaftPeerId> memberIds(RaftGroup group) {
        java.util.Set<RaftPeerId> out = new java.util.HashSet<>();
        group.getPeers().forEach(p -> out.add(p.getId()));
        return out;
    }

    GroupInfoReply info(RaftPeerId peer, RaftGroupId groupId) {
        try {
            GroupInfoReply reply = admin.getGroupManagementApi(peer).info(groupId);
            return reply.isSuccess() ? reply : null;
        } catch (IOException | RuntimeException e) {
            return null; // unreachable, or does not host the group (any more)
        }
    }

    /**
     * The Raft group of a partition, learnt from its leader (else from the first node that hosts it
     * with members: a node that just joined holds the group still empty).
     */
    RaftGroup groupOf(TopicPartition tp) {
        return groupOf(ClusterPeers.partitionGroupId(tp.topic(), tp.partition()), tp.toString());
    }

    private RaftGroup groupOf(RaftGroupId id, String what) {
        RaftGroup known = groups.get(id);
        if (known != null) {
            return known;
        }
        List<String> silent = new ArrayList<>();
        RaftGroup found = null;
        for (String node : peers.nodeIds()) {
            try {
                GroupInfoReply reply =
                        admin.getGroupManagementApi(RaftPeerId.valueOf(node)).info(id);
                if (reply.isSuccess() && !reply.getGroup().getPeers().isEmpty()) {
                    if (reply.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                        found = reply.getGroup();
                        break;
                    }
                    found = found == null ? reply.getGroup() : found;
                }
            } catch (GroupMismatchException e) {
                // this node does not host the partition
            } catch (IOException | RuntimeException e) {
                // Ratis' gRPC transport reports an unknown group as a runtime status error
                if (!String.valueOf(e.getMessage()).contains("not found")) {
                    silent.add(node);
                }
            }
        }
        if (found != null) {
            // placement order: the preferred leader (highest priority) first
            List<RaftPeer> ordered = new ArrayList<>(found.getPeers());
            ordered.sort((a, b) -> Integer.compare(b.getPriority(), a.getPriority()));
            found = RaftGroup.valueOf(id, ordered);
            groups.put(id, found);
            return found;
        }
        throw new NotReplicatedException(
                what + " is not replicated: no node of " + peers.addresses().keySet() + " hosts its Raft group"
                        + (silent.isEmpty() ? "" : " (nodes not answering: " + silent + ")"));
    }

    /** A Ratis client for {@code group}, kept for reuse; closed with this client. */
    public RaftClient raftClient(RaftGroup group) {
        if (closed) {
            throw new IllegalStateException("the replication client is closed");
        }
        return clients.computeIfAbsent(
                group.getGroupId(),
                id -> RaftClient.newBuilder()
                        .setProperties(settings.clientProperties())
                        .setParameters(settings.parameters())
                        .setRaftGroup(group)
                        .setRetryPolicy(retryPolicy())
                        .build());
    }

    /**
     * A client that knows only {@code node} as the group's member, for reads addressed to that node
     * (a replica that is joining a group knows no members yet, and the group's members change).
     */
    private RaftClient directClient(RaftGroupId id, RaftPeerId node) {
        if (closed) {
            throw new IllegalStateException("the replication client is closed");
        }
        return directClients.computeIfAbsent(
                id + "@" + node,
                key -> RaftClient.newBuilder()
                        .setProperties(settings.clientProperties())
                        .setParameters(settings.parameters())
                        .setRaftGroup(RaftGroup.valueOf(id, peers.peer(node.toString(), 0)))
                        .setRetryPolicy(retryPolicy())
                        .build());
    }

    private RetryPolicy retryPolicy() {
        long attempts = Math.max(
                1,
                settings.operationTimeout().toMillis()
                        / (RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS)
                                + settings.requestTimeout().toMillis() / 4));
        return RetryPolicies.retryUpToMaximumCountWithFixedSleep((int) Math.min(attempts, 10_000), RETRY_SLEEP);
    }

    private ByteBuffer send(String tp, RaftGroup group, Message message, boolean readOnly) {
        RaftClient client = raftClient(group);
        RaftClientReply reply;
        try {
            reply = readOnly ? client.io().sendReadOnly(message) : client.io().send(message);
        } catch (GroupMismatchException e) {
            // the replicas moved (see reassign): learn where the group is now and send there once
            forget(group.getGroupId());
            RaftGroup moved = movedGroup(group);
            if (moved == null) {
                throw new NotReplicatedException(
                        tp + " is not replicated on " + group.getPeers() + ": " + e.getMessage());
            }
            return send(tp, moved, message, readOnly);
        } catch (IOException e) {
            throw new ReplicationException((readOnly ? "read from " : "write to ") + tp + " failed: " + e, e);
        }
        if (!reply.isSuccess()) {
            throw new ReplicationException(
                    (readOnly ? "read from " : "write to ") + tp + " failed: " + reply.getException(),
                    reply.getException());
        }
        return PartitionMessages.buffer(reply.getMessage());
    }

    /** The group's members now, when they differ from {@code stale}'s; else {@code null}. */
    private RaftGroup movedGroup(RaftGroup stale) {
        RaftGroupId id = stale.getGroupId();
        try {
            RaftGroup now = groupOf(id, "group " + id);
            return memberIds(stale).equals(memberIds(now)) ? null : now;
        } catch (NotReplicatedException e) {
            return null;
        }
    }

    /** Throws for a failure reply; leaves an OK reply positioned after its status byte. */
    private static void check(TopicPartition tp, ByteBuffer reply) {
        byte status = reply.get();
        switch (status) {
            case PartitionMessages.OK -> {}
            case PartitionMessages.STALE_EPOCH ->
                throw new StaleEpochException(tp.toString(), reply.getLong(), reply.getInt(), reply.getInt());
            case PartitionMessages.NOT_INITIALISED ->
                throw new NotReplicatedException(tp + ": " + PartitionMessages.readText(reply));
            default -> throw new ReplicationException(tp + ": " + PartitionMessages.readText(reply));
        }
    }

    @Override
    public void close() {
        closed = true;
        for (RaftClient c : clients.values()) {
            closeQuietly(c);
        }
        clients.clear();
        directClients.values().forEach(ReplicationClient::closeQuietly);
        directClients.clear();
        closeQuietly(admin);
    }

    private static void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing a client only releases connections
        }
    }
}
