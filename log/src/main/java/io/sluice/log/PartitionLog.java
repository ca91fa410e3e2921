package io.sluice.log;

import io.sluice.log.format.BatchSplitter;
import io.sluice.log.format.RecordBatch;
import io.sluice.log.segment.Segment;
import io.sluice.log.segment.SegmentFile;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition: an ordered sequence of segments with dense offsets from the log start.
 *
 * <p>Threading: appends, truncation, rolling and segment swaps are serialised by an internal lock;
 * fetches never take it and may run concurrently with all of them, seeing only committed records
 * (below the {@linkplain #highWatermark() high watermark}). {@link #append} blocks for an fsync under
 * {@code flush=always}. Damage inside a closed segment takes only the damaged range out: the partition
 * is {@link PartitionState#DAMAGED}, records outside the range stay readable, appends continue at the
 * end, a fetch reaching the range throws {@link PartitionDamagedException}, and {@link
 * #repairByTruncation()} drops the range. Other damage (a failed write, overlapping segments, a
 * damaged active segment found while reading) takes the whole partition offline: every call then
 * throws {@link PartitionOfflineException} naming it. Other partitions are unaffected either way.
 */
public final class PartitionLog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);
    private static final int MAX_ENCODE_BYTES = 8 * 1024 * 1024;

    private final TopicPartition tp;
    private final Path dir;
    private final LogContext context;
    private final ReentrantLock lock = new ReentrantLock();
    private final Object flushLock = new Object();
    private final Object commitMonitor = new Object();
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final List<String> recoveryEvents;
    private volatile TopicConfig config;
    private volatile Segment active;
    private volatile long logStartOffset;
    private volatile long highWatermark;
    private volatile long flushedOffset;
    private volatile String offlineReason;
    private volatile List<DamagedRange> damaged;

    private PartitionLog(
            TopicPartition tp, Path dir, TopicConfig config, LogContext context, PartitionRecovery.Result r) {
        this.tp = tp;
        this.dir = dir;
        this.config = config;
        this.context = context;
        this.recoveryEvents = List.copyOf(r.events());
        this.offlineReason = r.offlineReason();
        this.damaged = List.copyOf(r.damaged());
        for (Segment s : r.segments()) {
            segments.put(s.baseOffset(), s);
        }
        this.active = segments.isEmpty() ? null : segments.lastEntry().getValue();
        this.logStartOffset = r.logStartOffset();
        this.highWatermark = r.highWatermark();
        this.flushedOffset = r.recoveryPoint();
    }

    /** Opens (recovering if needed) the partition stored in {@code dir}. Damage makes it offline, never throws. */
    static PartitionLog open(TopicPartition tp, Path dir, TopicConfig config, LogContext context) {
        PartitionRecovery.Result result;
        try {
            result = PartitionRecovery.recover(tp, dir, config, context);
        } catch (IOException | RuntimeException e) {
            LOG.error("Partition {} is offline: recovery failed", tp, e);
            result = new PartitionRecovery.Result(List.of(), 0, 0, 0, "recovery failed: " + e, List.of(), List.of());
        }
        return new PartitionLog(tp, dir, config, context, result);
    }

    public TopicPartition topicPartition() {
        return tp;
    }

    /**
     * Appends records, any number of them, as one or more batches with consecutive offsets; returns
     * their offsets. Nothing is stored when a record is refused.
     *
     * @throws RecordTooLargeException when a record is larger than the topic's {@code max.message.bytes}
     * @throws InvalidRecordException when a record of a compacted topic has no key
     */
    public AppendResult append(List<Record> records) {
        return append(records, -1);
    }

    /** As {@link #append(List)}, stamping the batches with the writer's fencing {@code epoch}. */
    public AppendResult append(List<Record> records, int epoch) {
        TopicConfig cfg = config;
        if (records.isEmpty()) {
            throw new IllegalArgumentException("nothing to append to " + tp);
        }
        if (cfg.compactEnabled()) {
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).key() == null) {
                    throw new InvalidRecordException(
                            "record " + i + " has no key, but " + tp.topic() + " is compacted");
                }
            }
        }
        BatchSplitter.checkRecordSizes(tp, records, cfg.maxMessageBytes());
        return appendBatches(BatchSplitter.encode(records, cfg.compression(), epoch, MAX_ENCODE_BYTES));
    }

    /**
     * Appends already-encoded batches (for example replicated ones) at the current log end: each is
     * CRC-checked and restamped with its new base offset. Returns the offsets they received.
     */
    public AppendResult appendBatches(List<ByteBuffer> batches) {
        for (ByteBuffer b : batches) {
            RecordBatch.wrap(b).ensureValid("append to " + tp);
        }
        long first;
        long end;
        lock.lock();
        try {
            ensureOnline();
            first = active.nextOffset();
            for (ByteBuffer b : batches) {
                RecordBatch batch = RecordBatch.wrap(b);
                batch.setBaseOffset(active.nextOffset());
                maybeRoll(batch.sizeInBytes());
                active.append(b);
            }
            end = active.nextOffset();
        } catch (IOException e) {
            throw goOffline("write failed: " + e, e);
        } finally {
            lock.unlock();
        }
        if (config.flush() == FlushPolicy.ALWAYS) {
            flushTo(end);
        }
        if (context.autoCommit()) {
            advanceHighWatermark(end);
        }
        return new AppendResult(first, end - 1);
    }

    private void maybeRoll(int incomingBytes) throws IOException {
        TopicConfig cfg = config;
        Segment seg = active;
        boolean full = seg.size() + (long) incomingBytes > cfg.segmentBytes();
        boolean old = context.clock().getAsLong() - seg.createdMs() >= cfg.segmentMs();
        if (!seg.isEmpty() && (full || old)) {
            roll();
        }
    }

    /** Closes the active segment and starts a new one at the log end. Caller holds the lock. */
    void roll() throws IOException {
        Segment old = active;
        old.flush();
        active = createSegment(old.nextOffset());
    }

    /** Forces everything appended so far to disk and records the recovery point. */
    public void flush() {
        ensureOnline();
        flushTo(logEndOffset());
        writeCheckpoint();
    }

    private void flushTo(long offset) {
        synchronized (flushLock) {
            if (flushedOffset >= offset) {
                return;
            }
            Segment seg = active;
            long end = seg.nextOffset();
            try {
                seg.flush();
            } catch (IOException e) {
                throw goOffline("fsync failed: " + e, e);
            }
            flushedOffset = Math.max(flushedOffset, end);
        }
    }

    void writeCheckpoint() {
        synchronized (flushLock) { // the flusher and retention both write it through one temporary file
            writeCheckpointLocked();
        }
    }

    private void writeCheckpointLocked() {
        try {
            new Checkpoint(logStartOffset, flushedOffset, highWatermark).write(dir);
        } catch (IOException e) {
            LOG.warn("Could not write the checkpoint of {}: {}", tp, e.toString());
        }
    }

    /** Moves the commit point (replication only). Readers see records below it; it never moves back. */
    public void commitTo(long offset) {
        advanceHighWatermark(Math.min(offset, logEndOffset()));
    }

    private void advanceHighWatermark(long offset) {
        synchronized (commitMonitor) {
            if (offset <= highWatermark) {
                return;
            }
            highWatermark = offset;
            commitMonitor.notifyAll();
        }
        context.commitSignal().signal();
    }

    /** Committed batches from {@code offset}: at least one whole batch if any, otherwise up to {@code maxBytes}. */
    public FetchResult fetch(long offset, int maxBytes) {
        for (int attempt = 0; ; attempt++) {
            try {
                return PartitionReader.fetch(this, offset, maxBytes);
            } catch (ClosedChannelException e) {
                if (attempt >= 3) {
                    throw new LogException("segment of " + tp + " closed during the fetch", e);
                }
            } catch (CorruptBatchException e) {
                throw damagedOrOffline(e);
            } catch (CorruptRecordException e) {
                throw goOffline(e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException("fetch from " + tp + " at offset " + offset, e);
            }
        }
    }

    /** As {@link #fetch(long, int)}, but waits up to {@code maxWait} for records past {@code offset}. */
    public FetchResult fetch(long offset, int maxBytes, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (commitMonitor) {
            while (highWatermark <= offset && offlineReason == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(commitMonitor, left);
            }
        }
        return fetch(offset, maxBytes);
    }

    /** The first offset whose record timestamp is at least {@code timestamp}, if any is committed. */
    public OptionalLong offsetForTime(long timestamp) {
        ensureOnline();
        try {
            return PartitionReader.offsetForTime(this, timestamp);
        } catch (CorruptBatchException e) {
            throw damagedOrOffline(e);
        } catch (CorruptRecordException e) {
            throw goOffline(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes every record at or after {@code offset}, which must be a batch boundary at or above the
     * high watermark (replication uses this to drop an uncommitted, divergent tail).
     */
    public void truncateTo(long offset) {
        lock.lock();
        try {
            ensureOnline();
            if (offset < highWatermark) {
                throw new IllegalArgumentException(
                        "cannot truncate " + tp + " to " + offset + ": below the high watermark " + highWatermark);
            }
            if (offset >= active.nextOffset()) {
                return;
            }
            PartitionReader.truncate(this, offset);
            flushedOffset = Math.min(flushedOffset, offset);
        } catch (IOException e) {
            throw goOffline("truncation failed: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Replication recovery only: drops every record at or after {@code offset} (a batch boundary)
     * even below the commit point, which moves back to {@code offset}. A replica uses it when its
     * local log holds batches its replication journal never recorded; they are applied again, with
     * the same content, from the replicated log.
     */
    public void discardFrom(long offset) {
        lock.lock();
        try {
            ensureOnline();
            if (offset >= active.nextOffset()) {
                return;
            }
            if (offset < logStartOffset) {
                throw new IllegalArgumentException(
                        "cannot discard " + tp + " from " + offset + ": below the log start " + logStartOffset);
            }
            synchronized (commitMonitor) {
                highWatermark = Math.min(highWatermark, offset);
            }
            PartitionReader.truncate(this, offset);
            flushedOffset = Math.min(flushedOffset, offset);
            writeCheckpoint();
        } catch (IOException e) {
            throw goOffline("truncation failed: " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A read found a corrupt batch: in a closed segment its range is marked damaged, anywhere else the
     * partition goes offline (see {@link PartitionDamage#onCorruptRead}).
     */
    private LogException damagedOrOffline(CorruptBatchException e) {
        return PartitionDamage.onCorruptRead(this, e);
    }

    /**
     * Drops every damaged range: a segment whose batches are damaged is cut at the first bad batch, one
     * whose header is damaged is deleted. The records before and after stay; the dropped offsets become
     * a gap that fetches skip, as after compaction. Blocking (fsync); serialised with appends.
     *
     * @return what was dropped, one entry per range
     * @throws PartitionNotDamagedException when the partition has no damaged range
     * @throws PartitionOfflineException when it is offline instead
     */
    public List<RepairResult> repairByTruncation() {
        return PartitionDamage.repairByTruncation(this);
    }

    /**
     * Rewrites every damaged range with the batches another replica holds for it ({@code source}):
     * nothing is dropped. Blocking (network reads and fsync); appends wait until it ends. When the source
     * cannot serve the whole range, nothing changes and {@link RepairFailedException} is thrown.
     *
     * @return what was rewritten, one entry per range ({@code bytesDropped}: the damaged bytes replaced)
     * @throws PartitionNotDamagedException when the partition has no damaged range
     * @throws PartitionOfflineException when it is offline instead
     */
    public List<RepairResult> repairByCopy(BatchSource source) {
        return PartitionDamage.repairByCopy(this, source);
    }

    /** A new empty segment at {@code base}, registered with the others. Caller holds the lock. */
    Segment createSegment(long base) throws IOException {
        Segment seg = Segment.create(
                SegmentFile.log(dir, base), base, context.clock().getAsLong(), config.indexIntervalBytes());
        segments.put(base, seg);
        return seg;
    }

    void setDamagedRanges(List<DamagedRange> ranges) {
        damaged = List.copyOf(ranges);
    }

    /** The damaged range holding {@code offset}, or {@code null}. */
    DamagedRange damageCovering(long offset) {
        for (DamagedRange range : damaged) {
            if (range.covers(offset)) {
                return range;
            }
        }
        return null;
    }

    PartitionOfflineException goOffline(String reason, Throwable cause) {
        if (offlineReason == null) {
            offlineReason = reason;
            LOG.error("Partition {} is offline: {}", tp, reason, cause);
        }
        synchronized (commitMonitor) {
            commitMonitor.notifyAll();
        }
        return new PartitionOfflineException(tp + " is offline: " + offlineReason);
    }

    void ensureOnline() {
        String reason = offlineReason;
        if (reason != null) {
            throw new PartitionOfflineException(tp + " is offline: " + reason);
        }
    }

    /** True unless the partition is {@link PartitionState#OFFLINE} (a damaged one is online outside its ranges). */
    public boolean isOnline() {
        return offlineReason == null;
    }

    /** Whether the partition is readable, readable except for damaged ranges, or offline. */
    public PartitionState state() {
        if (offlineReason != null) {
            return PartitionState.OFFLINE;
        }
        return damaged.isEmpty() ? PartitionState.ONLINE : PartitionState.DAMAGED;
    }

    /** The damaged ranges, in offset order; empty unless {@link PartitionState#DAMAGED}. */
    public List<DamagedRange> damagedRanges() {
        return damaged;
    }

    /** Why the partition is offline, or {@code null}. */
    public String offlineReason() {
        return offlineReason;
    }

    /** What recovery found and did when this partition was opened (empty after a clean shutdown). */
    public List<String> recoveryEvents() {
        return recoveryEvents;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        Segment a = active;
        return a == null ? 0 : a.nextOffset();
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Bytes stored in this partition's segment files. */
    public long sizeInBytes() {
        long total = 0;
        for (Segment s : segments.values()) {
            total += s.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.size();
    }

    public TopicConfig config() {
        return config;
    }

    void updateConfig(TopicConfig newConfig) {
        this.config = newConfig;
    }

    // --- internals shared with PartitionReader, Retention and Compactor (same package) ---

    ReentrantLock lock() {
        return lock;
    }

    ConcurrentSkipListMap<Long, Segment> segmentMap() {
        return segments;
    }

    Segment activeSegment() {
        return active;
    }

    LogContext context() {
        return context;
    }

    Path dir() {
        return dir;
    }

    void setActive(Segment segment) {
        active = segment;
    }

    void setLogStartOffset(long offset) {
        logStartOffset = offset;
    }

    /** Takes {@code removed} out of the readable set and deletes its files after the delete delay. */
    void retire(Segment removed) {
        segments.remove(removed.baseOffset(), removed);
        if (!removed.file().getFileName().toString().endsWith(SegmentFile.DELETED)) {
            try {
                // renamed first so that a restart before the delayed delete does not bring it back
                removed.renameWithSuffix(SegmentFile.DELETED);
            } catch (IOException e) {
                LOG.warn("Could not rename {} for deletion: {}", removed.file(), e.toString());
            }
        }
        context.scheduler()
                .schedule(
                        () -> {
                            try {
                                removed.closeAndDelete();
                            } catch (IOException e) {
                                LOG.warn("Could not delete {}: {}", removed.file(), e.toString());
                            }
                        },
                        context.fileDeleteDelayMs(),
                        TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (offlineReason == null && active != null) {
                flushTo(logEndOffset());
                writeCheckpoint();
            }
            for (Map.Entry<Long, Segment> e : segments.entrySet()) {
                try {
                    e.getValue().close();
                } catch (IOException ex) {
                    LOG.warn("Could not close {}: {}", e.getValue().file(), ex.toString());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PartitionLog[" + tp + ", start=" + logStartOffset + ", end=" + logEndOffset() + ", hw=" + highWatermark
                + (offlineReason == null ? "" : ", OFFLINE") + "]";
    }
}
