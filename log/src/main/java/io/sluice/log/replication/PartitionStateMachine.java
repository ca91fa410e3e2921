package io.sluice.log.replication;

import io.sluice.log.AppendResult;
import io.sluice.log.CorruptRecordException;
import io.sluice.log.InvalidRecordException;
import io.sluice.log.Log;
import io.sluice.log.OffsetOutOfRangeException;
import io.sluice.log.PartitionLog;
import io.sluice.log.TopicConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one replicated partition: applies committed Raft entries (INIT, APPEND,
 * FENCE; see {@link PartitionMessages}) to the node's local {@link PartitionLog} and answers FETCH and
 * STATUS queries from it. The partition log's commit point follows what was applied, so its readers
 * see only majority-acknowledged batches.
 *
 * <p>Apply is idempotent across restarts: an {@link ApplyJournal} says which Raft entries the local
 * log already holds; on start-up the log is cut back to the last journalled entry and the Raft log is
 * replayed from the latest snapshot, re-deciding fencing for every entry and writing only batches the
 * log does not hold yet. A snapshot forces the partition log, records its end and the fencing state,
 * and lets Ratis purge its log up to there.
 *
 * <p>Threading: Ratis calls apply and snapshot methods from one thread per group; queries come from
 * other threads and only read the partition log, which is thread-safe.
 */
final class PartitionStateMachine extends BaseStateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionStateMachine.class);
    private static final String JOURNAL = "applied.journal";

    private final Log log;
    private final ReplicationClient client;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final ProducerEpochs epochs = new ProducerEpochs();
    private Path dir;
    private ApplyJournal journal;
    private long snapshotIndex = -1;
    private long snapshotEndOffset;
    private long journalledIndex = -1;
    private volatile GroupBinding binding;
    private volatile PartitionLog partition;
    private volatile boolean declinedSnapshot;

    PartitionStateMachine(Log log, ReplicationClient client) {
        this.log = log;
        this.client = client;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        dir = raftStorage.getStorageDir().getStateMachineDir().toPath();
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot != null) {
            PartitionSnapshot saved = PartitionSnapshot.read(snapshot.getFile().getPath());
            epochs.restore(saved.epochs());
            snapshotIndex = snapshot.getIndex();
            snapshotEndOffset = saved.endOffset();
            setLastAppliedTermIndex(snapshot.getTermIndex());
        }
        journal = ApplyJournal.open(dir.resolve(JOURNAL));
        GroupBinding saved = GroupBinding.read(dir);
        if (saved != null) {
            bind(saved);
        }
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Opens the local partition and cuts it back to what the journal and snapshot say it holds. */
    private void bind(GroupBinding b) throws IOException {
        if (log.topicConfig(b.topic()).isEmpty()) {
            log.createTopic(b.topic(), b.settings());
        }
        PartitionLog p = log.partition(b.topic(), b.partition());
        if (!p.isOnline()) {
            throw new IOException("the local log of " + b.describe() + " is offline: " + p.offlineReason());
        }
        long end = p.logEndOffset();
        if (end < snapshotEndOffset) {
            throw new IOException("the local log of " + b.describe() + " ends at offset " + end
                    + " but the replication snapshot at Raft index " + snapshotIndex + " needs it to reach "
                    + snapshotEndOffset + ": local partition data was lost; remove this node's Raft storage of"
                    + " the group to resynchronise it");
        }
        long keepEnd = snapshotEndOffset;
        long keepIndex = snapshotIndex;
        for (ApplyJournal.Entry e : journal.loaded()) {
            if (e.endOffset() <= end && e.endOffset() >= keepEnd && e.index() >= keepIndex) {
                keepEnd = e.endOffset();
                keepIndex = e.index();
            }
        }
        journal.truncateAfter(keepIndex);
        if (end > keepEnd) {
            LOG.warn(
                    "{}: local log ends at {} but its journal only records batches up to {}; the tail is"
                            + " dropped and applied again from the Raft log",
                    b.describe(),
                    end,
                    keepEnd);
            p.discardFrom(keepEnd);
        }
        p.commitTo(keepEnd);
        journalledIndex = keepIndex;
        partition = p;
        binding = b;
        LOG.info(
                "{}: replica of {} bound at Raft index {} (log end {}, snapshot index {})",
                getId(),
                b.describe(),
                keepIndex,
                keepEnd,
                snapshotIndex);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        ByteBuffer data = trx.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
        Message reply;
        synchronized (this) { // a partition copy from the leader may be writing the log (installFromLeader)
            try {
                reply = apply(entry.getIndex(), data);
            } catch (IOException e) {
                // not deterministic (a disk problem): stop this replica rather than diverge from the others
                return CompletableFuture.failedFuture(e);
            }
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        }
        return CompletableFuture.completedFuture(reply);
    }

    private Message apply(long index, ByteBuffer data) throws IOException {
        byte type = data.get();
        return switch (type) {
            case PartitionMessages.INIT -> applyInit(PartitionMessages.readInit(data));
            case PartitionMessages.APPEND -> applyAppend(index, data.getLong(), data.getInt(), data);
            case PartitionMessages.APPEND_MANY -> applyAppendMany(index, data);
            case PartitionMessages.FENCE -> applyFence(data.getLong(), data.getInt());
            default -> PartitionMessages.failure(PartitionMessages.ERROR, "unknown entry type " + type);
        };
    }

    private Message applyInit(PartitionMessages.Init init) throws IOException {
        GroupBinding current = binding;
        if (current != null) {
            if (current.topic().equals(init.topic()) && current.partition() == init.partition()) {
                return PartitionMessages.ok();
            }
            return PartitionMessages.failure(
                    PartitionMessages.ERROR,
                    "this Raft group already replicates " + current.describe() + ", not " + init.topic() + "-"
                            + init.partition());
        }
        GroupBinding b = new GroupBinding(init.topic(), init.partition(), init.settings());
        try {
            TopicConfig config = TopicConfig.DEFAULTS.with(init.settings());
            int existing =
                    log.topicConfig(init.topic()).map(TopicConfig::partitions).orElse(config.partitions());
            if (init.partition() >= existing) {
                return PartitionMessages.failure(
                        PartitionMessages.ERROR,
                        "topic " + init.topic() + " exists on node " + getId() + " with " + existing
                                + " partitions, so it has no partition " + init.partition());
            }
        } catch (RuntimeException e) {
            return PartitionMessages.failure(PartitionMessages.ERROR, e.getMessage());
        }
        b.write(dir);
        bind(b);
        return PartitionMessages.ok();
    }

    private Message applyAppend(long index, long producerId, int epoch, ByteBuffer batch) throws IOException {
        PartitionLog p = partition;
        if (p == null) {
            return notInitialised();
        }
        Message reply = appendOne(index, p, producerId, epoch, batch);
        journalled(index, p);
        return reply;
    }

    /** Appends of several producers in one entry: each is fenced and stored as if it came alone. */
    private Message applyAppendMany(long index, ByteBuffer data) throws IOException {
        PartitionLog p = partition;
        if (p == null) {
            return notInitialised();
        }
        int n = data.getInt();
        List<Message> replies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long producerId = data.getLong();
            int epoch = data.getInt();
            int size = data.getInt();
            ByteBuffer batch = data.slice();
            batch.limit(size);
            data.position(data.position() + size);
            replies.add(appendOne(index, p, producerId, epoch, batch));
        }
        journalled(index, p);
        return PartitionMessages.many(replies);
    }

    private Message appendOne(long index, PartitionLog p, long producerId, int epoch, ByteBuffer batch)
            throws IOException {
        Integer current = epochs.staleAgainst(producerId, epoch);
        if (current != null) {
            return PartitionMessages.staleEpoch(producerId, epoch, current);
        }
        epochs.observe(producerId, epoch);
        if (index <= journalledIndex) {
            return PartitionMessages.okAppend(-1, -1); // replayed: the local log already holds it
        }
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch).flip();
        AppendResult result;
        try {
            result = p.appendBatches(List.of(copy));
        } catch (CorruptRecordException | InvalidRecordException | IllegalArgumentException e) {
            return PartitionMessages.failure(PartitionMessages.ERROR, e.getMessage());
        } catch (RuntimeException e) {
            throw new IOException("append to " + binding.describe() + " failed at Raft index " + index, e);
        }
        return PartitionMessages.okAppend(result.baseOffset(), result.lastOffset());
    }

    /** Records that the log holds every batch of entry {@code index}, and lets readers see them. */
    private void journalled(long index, PartitionLog p) throws IOException {
        long end = p.logEndOffset();
        if (index > journalledIndex && end > p.highWatermark()) {
            journal.append(index, end);
            journalledIndex = index;
            p.commitTo(end);
        }
    }

    private Message applyFence(long producerId, int epoch) {
        Integer current = epochs.staleAgainst(producerId, epoch);
        if (current != null) {
            return PartitionMessages.staleEpoch(producerId, epoch, current);
        }
        epochs.observe(producerId, epoch);
        return PartitionMessages.ok();
    }

    private static Message notInitialised() {
        return PartitionMessages.failure(
                PartitionMessages.NOT_INITIALISED, "the partition's Raft group was never initialised");
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        ByteBuffer b = PartitionMessages.buffer(request);
        PartitionLog p = partition;
        if (p == null) {
            return CompletableFuture.completedFuture(notInitialised());
        }
        try {
            byte type = b.get();
            Message reply = switch (type) {
                case PartitionMessages.FETCH -> PartitionMessages.okFetch(p.fetch(b.getLong(), b.getInt()));
                case PartitionMessages.STATUS ->
                    PartitionMessages.okStatus(p.logStartOffset(), p.highWatermark(), p.sizeInBytes());
                case PartitionMessages.SNAPSHOT_POINT -> snapshotPoint(p);
                default -> PartitionMessages.failure(PartitionMessages.ERROR, "unknown query type " + type);
            };
            return CompletableFuture.completedFuture(reply);
        } catch (OffsetOutOfRangeException e) {
            return CompletableFuture.completedFuture(
                    PartitionMessages.outOfRange(e.logStartOffset(), e.logEndOffset()));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(
                    PartitionMessages.failure(PartitionMessages.ERROR, e.getMessage()));
        }
    }

    /** This replica's latest snapshot, for a follower that copies the partition from here. */
    private Message snapshotPoint(PartitionLog p) throws IOException {
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        GroupBinding b = binding;
        if (latest == null || b == null) {
            return PartitionMessages.failure(
                    PartitionMessages.ERROR, "replica " + getId() + " of " + getGroupId() + " has no snapshot yet");
        }
        PartitionSnapshot saved = PartitionSnapshot.read(latest.getFile().getPath());
        return PartitionMessages.okSnapshotPoint(new PartitionMessages.SnapshotPoint(
                latest.getTerm(),
                latest.getIndex(),
                saved.endOffset(),
                p.logStartOffset(),
                saved.epochs(),
                new PartitionMessages.Init(b.topic(), b.partition(), b.settings())));
    }

    /** The local partition log once the group is initialised, else {@code null}. */
    PartitionLog partitionLog() {
        return partition;
    }

    GroupBinding binding() {
        return binding;
    }

    @Override
    public synchronized long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        PartitionLog p = partition;
        long end = 0;
        if (p != null) {
            p.flush(); // the snapshot stands for the partition log: it must be on disk first
            end = p.logEndOffset();
        }
        Map<Long, Integer> saved = epochs.copy();
        Path file = storage.getSnapshotFile(last.getTerm(), last.getIndex()).toPath();
        new PartitionSnapshot(end, saved).write(file);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file.toFile()); // Ratis checks snapshots by it
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file, md5), last));
        journal.reset();
        snapshotIndex = last.getIndex();
        snapshotEndOffset = end;
        return last.getIndex();
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /**
     * Called when this replica needs Raft entries the leader has purged (it was down while the others
     * took snapshots): the partition is copied from the leader up to the leader's latest snapshot, on
     * a thread of its own, and Ratis then resumes sending entries after that snapshot. A failed copy is
     * logged and tried again at the leader's next notification.
     */
    @Override
    public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(
            RoleInfoProto roleInfo, TermIndex firstTermIndexInLog) {
        String what = binding == null ? "partition group " + getGroupId() : binding.describe();
        long needed = raftLogNextIndex();
        if (firstTermIndexInLog != null
                && needed >= 0
                && firstTermIndexInLog.getIndex() <= needed
                && !declinedSnapshot) {
            // Ratis asks every replica that joins a group to install a snapshot once, even when the
            // leader's Raft log still starts at or before the entries it lacks (the leader may have no
            // snapshot yet): "no snapshot" makes the leader send those entries instead. Decided on this
            // replica's Raft log, not on what it applied: a replica killed -9 may have applied (and
            // kept in its partition) entries its Raft log lost, and declining then would have the
            // leader ask again forever. Declined once per start; a second request copies.
            declinedSnapshot = true;
            LOG.info(
                    "{}: replica of {} catches up from the leader's Raft log, which starts at {}",
                    getId(),
                    what,
                    firstTermIndexInLog);
            return CompletableFuture.completedFuture(null);
        }
        LOG.info(
                "{}: replica of {} is behind the leader's oldest Raft log entry {}: copying the partition from"
                        + " the leader",
                getId(),
                what,
                firstTermIndexInLog);
        CompletableFuture<TermIndex> done = new CompletableFuture<>();
        Thread copier = new Thread(
                () -> {
                    try {
                        RaftServer.Division division = getServer().get().getDivision(getGroupId());
                        done.complete(new PartitionCopy(this, client)
                                .run(division.getGroup(), ClusterPeers.leaderOf(roleInfo, division)));
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            Thread.currentThread().interrupt();
                        }
                        LOG.warn(
                                "{}: copying {} from the leader failed; it is tried again: {}",
                                getId(),
                                what,
                                e.toString());
                        done.completeExceptionally(e);
                    }
                },
                "partition-copy-" + getGroupId());
        copier.setDaemon(true);
        copier.start();
        return done;
    }

    /** The index this replica's Raft log expects next, or -1 when it cannot be read. */
    private long raftLogNextIndex() {
        try {
            return getServer()
                    .getNow(null)
                    .getDivision(getGroupId())
                    .getRaftLog()
                    .getNextIndex();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Binds this replica to the partition a copy is for, when no INIT entry was ever applied here. */
    synchronized PartitionLog bindForCopy(PartitionMessages.Init init) throws IOException {
        if (binding == null) {
            GroupBinding b = new GroupBinding(init.topic(), init.partition(), init.settings());
            b.write(dir);
            bind(b);
        } else if (!binding.topic().equals(init.topic()) || binding.partition() != init.partition()) {
            throw new IOException("this Raft group replicates " + binding.describe() + " here, but its leader holds "
                    + init.topic() + "-" + init.partition());
        }
        return partition;
    }

    /**
     * Appends batches copied from the leader that start at {@code from}, unless the local log no longer
     * ends there (an entry was applied meanwhile). Returns the local log end afterwards.
     */
    synchronized long appendCopied(long from, List<ByteBuffer> batches) {
        PartitionLog p = partition;
        if (p.logEndOffset() == from && !batches.isEmpty()) {
            p.appendBatches(batches);
            p.commitTo(p.logEndOffset()); // committed on a majority: the leader's snapshot covers them
        }
        return p.logEndOffset();
    }

    /**
     * Makes the copied partition this replica's state at the leader's snapshot {@code point}: the log
     * is forced, a snapshot of the same term and index is written here (so a restart resumes from it),
     * and entries up to its index count as applied.
     */
    synchronized void installCopy(PartitionMessages.SnapshotPoint point) throws IOException {
        PartitionLog p = partition;
        if (p.logEndOffset() != point.endOffset()) {
            throw new IOException(binding.describe() + ": the copied log ends at " + p.logEndOffset() + ", not at the"
                    + " leader's snapshot end " + point.endOffset());
        }
        p.flush();
        Path file = storage.getSnapshotFile(point.term(), point.index()).toPath();
        new PartitionSnapshot(point.endOffset(), point.epochs()).write(file);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file.toFile());
        TermIndex at = TermIndex.valueOf(point.term(), point.index());
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file, md5), at));
        point.epochs().forEach(epochs::observe);
        journal.reset();
        snapshotIndex = point.index();
        snapshotEndOffset = point.endOffset();
        journalledIndex = Math.max(journalledIndex, point.index());
        LOG.info(
                "{}: replica of {} copied from the leader up to offset {} (Raft index {})",
                getId(),
                binding.describe(),
                point.endOffset(),
                point.index());
    }

    /** Ratis pauses the state machine after a copy, then reinitializes it from the installed snapshot. */
    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public synchronized void reinitialize() throws IOException {
        SingleFileSnapshotInfo latest = storage.loadLatestSnapshot();
        if (latest != null) {
            setLastAppliedTermIndex(latest.getTermIndex());
        }
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    /**
     * This node left the partition's group (its replica moved to another node; see
     * {@link PartitionReassignment}): Ratis has closed the group and deletes its storage, and the
     * local partition's records go too, so a later replica here starts from an empty partition.
     */
    @Override
    public void notifyGroupRemove() {
        GroupBinding b = binding;
        partition = null;
        if (b != null && log.topicConfig(b.topic()).isPresent()) {
            try {
                log.clearPartition(new io.sluice.log.TopicPartition(b.topic(), b.partition()));
            } catch (RuntimeException e) {
                // never fail the group's removal (Ratis would keep its storage, and adding the group to this
                // node again would fail): a replica added here later starts from an empty journal and
                // discards whatever records were left
                LOG.warn("{}: the local records of {} could not be cleared: {}", getId(), b.describe(), e.toString());
            }
        }
    }

    @Override
    public void close() throws IOException {
        super.close();
        if (journal != null) {
            journal.close();
        }
    }
}
