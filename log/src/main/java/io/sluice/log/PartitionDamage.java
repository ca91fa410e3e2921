package io.sluice.log;

import io.sluice.log.format.RecordBatch;
import io.sluice.log.segment.ScanResult;
import io.sluice.log.segment.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Damaged ranges of a {@link PartitionLog} found while reading, and their repair by truncation. Both
 * run under the partition's lock, so they are serialised with appends, rolls and each other.
 */
final class PartitionDamage {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionDamage.class);

    private PartitionDamage() {}

    /**
     * A read found a corrupt batch. In a closed segment, the segment is checked batch by batch and the
     * range from its first bad batch to the next segment is marked damaged (the bytes stay on disk);
     * anywhere else, or when the check finds nothing, the partition goes offline.
     */
    static LogException onCorruptRead(PartitionLog p, CorruptBatchException e) {
        p.lock().lock();
        try {
            for (DamagedRange known : p.damagedRanges()) {
                if (known.file().equals(e.segment().file())) {
                    return new PartitionDamagedException(p.topicPartition(), known);
                }
            }
            Map.Entry<Long, Segment> following =
                    p.segmentMap().higherEntry(e.segment().baseOffset());
            if (e.segment() == p.activeSegment() || following == null || !p.isOnline()) {
                return p.goOffline(e.getMessage(), e);
            }
            Segment seg = e.segment();
            long fileSize = Files.size(seg.file());
            ScanResult scan = seg.hideDamagedTail(following.getKey());
            if (scan.clean()) {
                return p.goOffline(e.getMessage(), e);
            }
            DamagedRange range = new DamagedRange(
                    seg.file(),
                    scan.validEnd(),
                    scan.nextOffset(),
                    following.getKey(),
                    fileSize - scan.validEnd(),
                    "corrupt batch at " + scan.problem());
            List<DamagedRange> all = new ArrayList<>(p.damagedRanges());
            all.add(range);
            all.sort(Comparator.comparingLong(DamagedRange::fromOffset));
            p.setDamagedRanges(all);
            LOG.error("Partition {} is damaged: {}", p.topicPartition(), range.describe());
            return new PartitionDamagedException(p.topicPartition(), range);
        } catch (IOException io) {
            return p.goOffline("checking a damaged segment failed: " + io, io);
        } finally {
            p.lock().unlock();
        }
    }

    static List<RepairResult> repairByTruncation(PartitionLog p) {
        p.lock().lock();
        try {
            return repairEach(p, "truncation (dropped)", range -> truncate(p, range));
        } catch (IOException e) {
            throw p.goOffline("repair failed: " + e, e);
        } finally {
            p.lock().unlock();
        }
    }

    /** Repairs one damaged range; called under the partition's lock. */
    private interface RangeRepair {
        RepairResult repair(DamagedRange range) throws IOException;
    }

    /**
     * Repairs every damaged range of {@code p} in offset order, each one struck from the damaged list as
     * soon as it is repaired (a failure part-way leaves only the ranges not repaired yet). Caller holds
     * the lock.
     */
    private static List<RepairResult> repairEach(PartitionLog p, String how, RangeRepair repair) throws IOException {
        p.ensureOnline();
        if (p.damagedRanges().isEmpty()) {
            throw new PartitionNotDamagedException(p.topicPartition(), p.state());
        }
        List<RepairResult> results = new ArrayList<>();
        for (DamagedRange range : p.damagedRanges()) {
            RepairResult r = repair.repair(range);
            results.add(r);
            p.setDamagedRanges(
                    p.damagedRanges().stream().filter(d -> d != range).toList());
            LOG.warn(
                    "Repaired {} by {}: offsets {}..{} ({} damaged bytes) of {} from position {}",
                    p.topicPartition(),
                    how,
                    r.fromOffset(),
                    r.toOffset() - 1,
                    r.bytesDropped(),
                    r.file(),
                    r.position());
        }
        p.writeCheckpoint();
        return results;
    }

    private static RepairResult truncate(PartitionLog p, DamagedRange range) throws IOException {
        Segment seg = null;
        for (Segment s : p.segmentMap().values()) {
            if (s.file().equals(range.file())) {
                seg = s;
            }
        }
        if (seg == null || range.position() == 0) {
            long bytes = Files.exists(range.file()) ? Files.size(range.file()) : 0;
            if (seg != null) {
                p.segmentMap().remove(seg.baseOffset(), seg);
                seg.closeAndDelete();
            } else {
                Segment.deleteFiles(range.file());
            }
            return new RepairResult(range.file(), 0, range.fromOffset(), range.toOffset(), bytes, true);
        }
        long before = Files.size(range.file());
        seg.truncateToPosition((int) range.position(), range.fromOffset());
        seg.flush();
        return new RepairResult(
                range.file(), range.position(), range.fromOffset(), range.toOffset(), before - range.position(), false);
    }

    /**
     * Rewrites every damaged range with the batches {@code source} (a healthy replica) holds for it: the
     * damaged segment is cut where the damage starts (or made again empty when its header is damaged)
     * and refilled up to the next segment. Nothing is dropped. Runs under the partition's lock, so
     * appends wait for the copy.
     */
    static List<RepairResult> repairByCopy(PartitionLog p, BatchSource source) {
        p.lock().lock();
        try {
            return repairEach(p, "copy from another replica (rewritten)", range -> copy(p, range, source));
        } catch (IOException e) {
            // the range that failed is as it was (its batches are fetched before its file is touched): nothing
            // readable was lost, and the repair can be retried
            throw new RepairFailedException(p.topicPartition(), "repair by copy failed: " + e.getMessage(), e);
        } finally {
            p.lock().unlock();
        }
    }

    private static RepairResult copy(PartitionLog p, DamagedRange range, BatchSource source) throws IOException {
        Segment seg = null;
        for (Segment s : p.segmentMap().values()) {
            if (s.file().equals(range.file())) {
                seg = s;
            }
        }
        // fetch everything first, so a source that fails leaves the segment as it was
        List<ByteBuffer> batches = new ArrayList<>();
        long next = range.fromOffset();
        while (next < range.toOffset()) {
            List<ByteBuffer> fetched = source.fetch(next, 1 << 20);
            long before = next;
            for (ByteBuffer b : fetched) {
                RecordBatch batch = RecordBatch.wrap(b.duplicate());
                if (batch.nextOffset() <= next) {
                    continue;
                }
                if (batch.baseOffset() >= range.toOffset()) {
                    break;
                }
                if (batch.baseOffset() < next || batch.nextOffset() > range.toOffset()) {
                    throw new IOException("the other replica's batch at offsets " + batch.baseOffset() + ".."
                            + batch.lastOffset() + " does not fit the damaged range " + range.fromOffset() + ".."
                            + (range.toOffset() - 1) + " at " + next);
                }
                batches.add(b.duplicate());
                next = batch.nextOffset();
            }
            if (next == before) {
                throw new IOException("no other replica returned offset " + next + " of the damaged range "
                        + range.fromOffset() + ".." + (range.toOffset() - 1));
            }
        }
        long oldSize = Files.exists(range.file()) ? Files.size(range.file()) : 0;
        if (seg == null || range.position() == 0) {
            long base = seg != null ? seg.baseOffset() : range.fromOffset();
            if (seg != null) {
                p.segmentMap().remove(seg.baseOffset(), seg);
                seg.closeAndDelete();
            } else {
                Segment.deleteFiles(range.file());
            }
            seg = p.createSegment(base);
        } else {
            seg.truncateToPosition((int) range.position(), range.fromOffset());
        }
        for (ByteBuffer b : batches) {
            seg.append(b);
        }
        seg.flush();
        return new RepairResult(
                range.file(),
                range.position(),
                range.fromOffset(),
                range.toOffset(),
                Math.max(0, oldSize - range.position()),
                false);
    }
}
