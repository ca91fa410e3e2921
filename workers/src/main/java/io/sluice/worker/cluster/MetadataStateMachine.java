package io.sluice.worker.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.log.replication.ClusterPeers;
import io.sluice.worker.cluster.ClusterState.Assignment;
import io.sluice.worker.cluster.ClusterState.Owner;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.store.JsonCodec;
import io.sluice.worker.store.SourceOffsetStore;
import io.sluice.worker.store.StatusStore;
import io.sluice.worker.store.TaskEpoch;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata group's state machine: the shared compacted topics themselves. Applying an entry
 * appends its changes to this worker's local copy of each topic ({@code __sluice_configs},
 * {@code __sluice_status}, the source offsets {@code __sluice_offsets} and sink
 * offsets {@code __sluice_sink_offsets}), together with the entry's Raft index under {@link #APPLIED}, so a worker
 * killed mid-apply skips what it already has when the log is replayed (apply is idempotent).
 * Snapshots are a dump of the topics, so the Raft log can be purged and a lagging worker can be sent
 * the whole state.
 *
 * <p>Task and connector statuses carry the epoch of the assignment under which they were reported; a
 * status whose epoch is not the current assignment's is dropped (a worker that lost a task cannot
 * overwrite the new owner's status). Queries (heartbeats, liveness) go to a handler set by the node.
 *
 * <p>Threading: Ratis applies entries one at a time on its state-machine thread; reads of the topics
 * are concurrent with it.
 */
final class MetadataStateMachine extends BaseStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

    /** Key (in each topic) of the last Raft index applied to it. */
    static final String APPLIED = "__raft/applied";

    /** The answer to an offset commit whose task no longer holds its assignment (a reason follows). */
    static final String FENCED = "FENCED";

    static final String OFFSET_WRITER = "offset-writer/";

    private static final TypeReference<Map<String, Map<String, byte[]>>> DUMP = new TypeReference<>() {};

    private final Map<String, CompactedTopicMap> topics;
    private final ClusterState state;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Object appliedMonitor = new Object();
    private volatile Function<Query, CompletableFuture<Query.Reply>> queries;
    private volatile RaftClient leaderReads;
    /** Why this replica applies nothing more (an entry it could not apply), or null while it works. */
    private volatile String halted;

    MetadataStateMachine(
            CompactedTopicMap configs,
            CompactedTopicMap status,
            CompactedTopicMap offsets,
            CompactedTopicMap sinkOffsets) {
        this.topics = Map.of(
                ConfigStore.TOPIC,
                configs,
                StatusStore.TOPIC,
                status,
                SourceOffsetStore.TOPIC,
                offsets,
                SharedSinkOffsets.TOPIC,
                sinkOffsets);
        this.state = new ClusterState(configs);
    }

    /**
     * A leader that has not heard from a majority of the group within this long takes no new entry: a
     * live follower hears from its leader at least every election timeout (else it starts an election),
     * so a majority silent this long is gone or cut off, and an entry taken now could only be committed
     * after the caller was told that its change failed.
     */
    static final long QUORUM_CONTACT_MILLIS = 3_000;

    /** The prefix of a refusal by a leader without a quorum (see {@link #QUORUM_CONTACT_MILLIS}). */
    static final String NO_QUORUM = "no quorum: ";

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext context = super.startTransaction(request);
        String missing = quorumMissing();
        if (missing != null) {
            context.setException(new IOException(NO_QUORUM + missing));
        }
        return context;
    }

    /** Why this leader lacks a quorum now, or null when a majority answered recently. */
    private String quorumMissing() throws IOException {
        RaftServer server = getServer().getNow(null);
        if (server == null) {
            return null;
        }
        RoleInfoProto role = server.getDivision(getGroupId()).getInfo().getRoleInfoProto();
        if (!role.hasLeaderInfo()) {
            return null;
        }
        var followers = role.getLeaderInfo().getFollowerInfoList();
        int members = followers.size() + 1;
        long heard = 1
                + followers.stream()
                        .filter(f -> f.getLastRpcElapsedTimeMs() <= QUORUM_CONTACT_MILLIS)
                        .count();
        if (2 * heard > members) {
            return null;
        }
        return "the metadata leader heard from " + heard + " of the cluster's " + members + " workers within the last "
                + QUORUM_CONTACT_MILLIS + " ms";
    }

    /** Why this replica stopped applying entries, if it did: its copy of the shared topics is then stale. */
    java.util.Optional<String> halted() {
        return java.util.Optional.ofNullable(halted);
    }

    void answerQueriesWith(Function<Query, CompletableFuture<Query.Reply>> handler) {
        this.queries = handler;
    }

    /** The client (of this group) through which a worker that fell behind downloads the leader's snapshot. */
    void copySnapshotsThrough(RaftClient client) {
        this.leaderReads = client;
    }

    /**
     * Called when this worker needs Raft entries the leader has purged (or joins the group: then,
     * while the leader's log is whole, no snapshot is needed): the leader's latest snapshot
     * is downloaded on a thread of its own; Ratis then pauses this state machine, reinitializes it
     * from that snapshot and sends the entries after it. A failed download is retried at the leader's
     * next notification.
     */
    @Override
    public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(
            RoleInfoProto roleInfo, TermIndex firstTermIndexInLog) {
        if (firstTermIndexInLog.getIndex() <= 0) {
            // a worker joining the cluster: Ratis notifies a new member first in any case, but the
            // leader still has its whole log, so the entries alone bring this worker up to date
            LOG.info("Joining the metadata group: the leader sends its whole log, no snapshot needed");
            return CompletableFuture.completedFuture(null);
        }
        RaftClient client = leaderReads;
        if (client == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("metadata node is starting"));
        }
        LOG.info(
                "Metadata log is behind the leader's oldest entry {}: downloading the leader's snapshot",
                firstTermIndexInLog);
        CompletableFuture<TermIndex> done = new CompletableFuture<>();
        Thread t = new Thread(
                () -> {
                    try {
                        RaftPeerId leader = ClusterPeers.leaderOf(
                                roleInfo, getServer().get().getDivision(getGroupId()));
                        done.complete(MetadataSnapshotCopy.download(client, leader, storage));
                    } catch (IOException | RuntimeException | InterruptedException | ExecutionException e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                        }
                        LOG.warn(
                                "Downloading the metadata leader's snapshot failed; it is tried again: {}",
                                e.toString());
                        done.completeExceptionally(e);
                    }
                },
                "sluice-metadata-snapshot-copy");
        t.setDaemon(true);
        t.start();
        return done;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        SingleFileSnapshotInfo snapshot = storage.getLatestSnapshot();
        if (snapshot != null) {
            if (topics.values().stream().anyMatch(m -> applied(m) < snapshot.getIndex())) {
                load(snapshot);
            }
            setLastAppliedTermIndex(snapshot.getTermIndex());
        }
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Ratis pauses the state machine before installing a snapshot from the leader, then reinitializes it. */
    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public void reinitialize() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot != null) {
            load(snapshot);
            setLastAppliedTermIndex(snapshot.getTermIndex());
        }
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        String stoppedAt = halted;
        if (stoppedAt != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(stoppedAt));
        }
        String result;
        try {
            result = apply(
                    Command.decode(entry.getStateMachineLogEntry().getLogData().toByteArray()), index);
        } catch (RuntimeException e) {
            // skipping it would let this replica's copy of the shared topics differ from the others'
            // for good: stop applying here instead (Ratis fails the replica) and let an operator look
            LOG.error("Metadata entry {} could not be applied; this worker's metadata replica stops here", index, e);
            halted = "this worker's metadata replica stopped at entry " + index + ", which it could not apply: " + e;
            return CompletableFuture.failedFuture(e);
        }
        updateLastAppliedTermIndex(entry.getTerm(), index);
        synchronized (appliedMonitor) {
            appliedMonitor.notifyAll();
        }
        return CompletableFuture.completedFuture(Message.valueOf(result));
    }

    String apply(Command command, long index) {
        if (command.expectedGeneration() != null && command.expectedGeneration() != state.generation()) {
            return "STALE";
        }
        Map<String, Map<String, byte[]>> all = command.changes();
        if (command.writer() != null) {
            String refused = refusal(command.writer());
            if (refused != null) {
                return FENCED + " " + refused;
            }
            all = new LinkedHashMap<>(all);
            Map<String, byte[]> configChanges = new LinkedHashMap<>(all.getOrDefault(ConfigStore.TOPIC, Map.of()));
            configChanges.put(
                    writerKey(command.writer()),
                    Long.toString(command.writer().epoch()).getBytes(StandardCharsets.UTF_8));
            all.put(ConfigStore.TOPIC, configChanges);
        }
        for (Map.Entry<String, Map<String, byte[]>> t : all.entrySet()) {
            CompactedTopicMap map = topics.get(t.getKey());
            if (map == null || index <= applied(map)) {
                continue;
            }
            Map<String, byte[]> changes = new LinkedHashMap<>();
            t.getValue().forEach((k, v) -> {
                if (!t.getKey().equals(StatusStore.TOPIC) || current(k, v)) {
                    changes.put(k, v);
                }
            });
            changes.put(APPLIED, Long.toString(index).getBytes(StandardCharsets.UTF_8));
            map.applyCommitted(changes);
        }
        return "OK";
    }

    /**
     * Why {@code writer} may not commit offsets now, else null: a commit of a task under an epoch older
     * than one that already committed for the same task is a zombie's (its worker lost the task and
     * a newer owner has taken over). A task's last commit as it hands over (a clean stop, a rebalance)
     * still lands while the new owner has not committed yet.
     */
    private String refusal(TaskEpoch writer) {
        byte[] v = topics.get(ConfigStore.TOPIC).get(writerKey(writer));
        long newest = v == null ? Long.MIN_VALUE : Long.parseLong(new String(v, StandardCharsets.UTF_8));
        if (writer.epoch() < newest) {
            return "offsets of the task were committed under the newer epoch " + newest;
        }
        return null;
    }

    /** Key (in the config topic) of the newest epoch under which a task committed offsets. */
    static String writerKey(TaskEpoch writer) {
        return OFFSET_WRITER + writer.connector() + "/" + writer.task();
    }

    /** Whether a status report was made under the assignment in force (or carries no epoch). */
    private boolean current(String key, byte[] value) {
        if (value == null) {
            return true;
        }
        Long epoch = StatusStore.decode(value).epoch();
        if (epoch == null) {
            return true;
        }
        Owner owner;
        if (key.startsWith("connector/")) {
            owner = state.assignment(key.substring("connector/".length()))
                    .map(Assignment::connector)
                    .orElse(null);
        } else if (key.startsWith("task/")) {
            String rest = key.substring("task/".length());
            int slash = rest.lastIndexOf('/');
            int task = Integer.parseInt(rest.substring(slash + 1));
            owner = state.assignment(rest.substring(0, slash))
                    .filter(x -> task < x.tasks().size())
                    .map(x -> x.tasks().get(task))
                    .orElse(null);
        } else {
            return true;
        }
        return owner != null && owner.epoch() == epoch;
    }

    static long applied(CompactedTopicMap map) {
        byte[] v = map.get(APPLIED);
        return v == null ? 0 : Long.parseLong(new String(v, StandardCharsets.UTF_8));
    }

    /** Blocks until this worker has applied {@code index} or {@code timeoutMillis} passed. */
    boolean awaitApplied(long index, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (appliedMonitor) {
            while (getLastAppliedTermIndex() == null
                    || getLastAppliedTermIndex().getIndex() < index) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                appliedMonitor.wait(left);
            }
        }
        return true;
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() <= 0) {
            return NO_SNAPSHOT;
        }
        Map<String, Map<String, byte[]>> dump = new LinkedHashMap<>();
        topics.forEach((name, map) -> dump.put(name, map.snapshot()));
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        File tmp = new File(file.getPath() + ".tmp");
        Files.write(tmp.toPath(), JsonCodec.write(dump));
        Files.move(tmp.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        var md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        LOG.debug("Metadata snapshot at {}", last);
        return last.getIndex();
    }

    private static final long NO_SNAPSHOT = -1;

    /** Makes the local topics equal to a snapshot's dump (keys it lacks are removed). */
    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        Map<String, Map<String, byte[]>> dump =
                JsonCodec.read(Files.readAllBytes(snapshot.getFile().getPath()), DUMP, "metadata snapshot");
        topics.forEach((name, map) -> {
            Map<String, byte[]> wanted = dump.getOrDefault(name, Map.of());
            Map<String, byte[]> changes = new LinkedHashMap<>();
            map.snapshot().keySet().forEach(k -> {
                if (!wanted.containsKey(k)) {
                    changes.put(k, null);
                }
            });
            changes.putAll(wanted);
            map.applyCommitted(changes);
        });
        LOG.info("Loaded metadata snapshot {}", snapshot.getTermIndex());
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        Function<Query, CompletableFuture<Query.Reply>> handler = queries;
        if (handler == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("metadata node is starting"));
        }
        try {
            Query query = Query.decode(request.getContent().toByteArray());
            if (Query.SNAPSHOT.equals(query.type())) {
                return CompletableFuture.completedFuture(MetadataSnapshotCopy.part(
                        storage.getLatestSnapshot(), query.position() == null ? 0 : query.position()));
            }
            return handler.apply(query).thenApply(reply -> Message.valueOf(ByteString.copyFrom(Query.encode(reply))));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
