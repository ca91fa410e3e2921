package io.sluice.log;

import io.sluice.log.format.RecordBatch;
import io.sluice.log.segment.Segment;
import io.sluice.log.segment.SegmentFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key-based compaction of a partition's closed, committed segments: keeps the latest record per key
 * and drops a tombstone once {@code delete.retention.ms} has passed since compaction first saw it (the
 * deadline is stamped in the batch header, so it survives later passes). Offsets never change.
 *
 * <p>Runs on the maintenance thread. New segments are written beside the old ones ({@code .cleaned},
 * then {@code .swap}) without any lock; only the final swap of the segment set takes the partition
 * lock, so appends and fetches continue throughout. A crash at any step is finished or undone by
 * {@link PartitionRecovery}.
 */
final class Compactor {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    private static final int READ_CHUNK = 1 << 20;

    private Compactor() {}

    /** Returns the number of records removed. */
    static long compact(PartitionLog p, long now) throws IOException {
        TopicConfig cfg = p.config();
        if (!cfg.compactEnabled() || p.state() != PartitionState.ONLINE) {
            return 0;
        }
        List<Segment> closed = new ArrayList<>();
        for (Segment s : p.segmentMap().values()) {
            if (s == p.activeSegment() || s.nextOffset() > p.highWatermark()) {
                break;
            }
            closed.add(s);
        }
        if (closed.isEmpty()) {
            return 0;
        }
        Map<ByteBuffer, Long> latest = new HashMap<>();
        for (Segment s : closed) {
            forEachBatch(s, batch -> {
                for (StoredRecord r : batch.records()) {
                    latest.put(ByteBuffer.wrap(r.key()), r.offset());
                }
            });
        }
        long[] counts = new long[2]; // [0] records dropped, [1] batches needing a rewrite
        for (Segment s : closed) {
            forEachBatch(s, batch -> {
                List<StoredRecord> records = batch.records();
                List<StoredRecord> kept = retained(records, batch, latest, now);
                counts[0] += records.size() - kept.size();
                if (kept.size() != records.size() || needsHorizon(batch, kept)) {
                    counts[1]++;
                }
            });
        }
        if (counts[1] == 0) {
            return 0;
        }
        for (List<Segment> group : groups(closed, cfg.segmentBytes())) {
            rewrite(p, group, latest, now, cfg);
        }
        LOG.debug("Compacted {}: {} records removed", p.topicPartition(), counts[0]);
        return counts[0];
    }

    private static List<StoredRecord> retained(
            List<StoredRecord> records, RecordBatch batch, Map<ByteBuffer, Long> latest, long now) {
        boolean horizonPassed = batch.deleteHorizon() >= 0 && now >= batch.deleteHorizon();
        List<StoredRecord> kept = new ArrayList<>(records.size());
        for (StoredRecord r : records) {
            Long newest = latest.get(ByteBuffer.wrap(r.key()));
            if (newest != null && newest == r.offset() && !(r.isTombstone() && horizonPassed)) {
                kept.add(r);
            }
        }
        return kept;
    }

    private static boolean needsHorizon(RecordBatch batch, List<StoredRecord> kept) {
        return batch.deleteHorizon() < 0 && kept.stream().anyMatch(StoredRecord::isTombstone);
    }

    private static List<List<Segment>> groups(List<Segment> closed, int segmentBytes) {
        List<List<Segment>> groups = new ArrayList<>();
        List<Segment> current = new ArrayList<>();
        long size = 0;
        for (Segment s : closed) {
            if (!current.isEmpty() && size + s.size() > segmentBytes) {
                groups.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(s);
            size += s.size();
        }
        groups.add(current);
        return groups;
    }

    private static void rewrite(
            PartitionLog p, List<Segment> group, Map<ByteBuffer, Long> latest, long now, TopicConfig cfg)
            throws IOException {
        Segment first = group.get(0);
        Path dir = p.dir();
        Path cleanedPath =
                dir.resolve(SegmentFile.baseName(first.baseOffset()) + SegmentFile.LOG + SegmentFile.CLEANED);
        Segment cleaned = Segment.create(cleanedPath, first.baseOffset(), first.createdMs(), cfg.indexIntervalBytes());
        try {
            for (Segment s : group) {
                forEachBatch(s, batch -> copyRetained(cleaned, batch, latest, now, cfg));
            }
            cleaned.flush();
        } finally {
            cleaned.close();
        }
        // .cleaned -> .swap: from here on recovery completes the swap instead of discarding it
        renameStage(dir, first.baseOffset(), SegmentFile.CLEANED, SegmentFile.SWAP);
        p.lock().lock();
        try {
            for (Segment old : group) {
                if (p.segmentMap().get(old.baseOffset()) != old) {
                    LOG.debug("Compaction of {} abandoned: segment {} changed meanwhile", p.topicPartition(), old);
                    deleteStage(dir, first.baseOffset(), SegmentFile.SWAP);
                    return;
                }
            }
            for (Segment old : group) {
                old.renameWithSuffix(SegmentFile.DELETED);
            }
            renameStage(dir, first.baseOffset(), SegmentFile.SWAP, "");
            Segment.Opened opened = Segment.open(
                    SegmentFile.log(dir, first.baseOffset()), first.baseOffset(), false, cfg.indexIntervalBytes());
            // Replace the first old segment in one step, then drop the rest: a concurrent fetch always
            // finds either the old or the new copy of every offset.
            p.segmentMap().put(first.baseOffset(), opened.segment());
            for (Segment old : group) {
                p.retire(old);
            }
        } finally {
            p.lock().unlock();
        }
    }

    private static void copyRetained(
            Segment out, RecordBatch batch, Map<ByteBuffer, Long> latest, long now, TopicConfig cfg) {
        List<StoredRecord> records = batch.records();
        List<StoredRecord> kept = retained(records, batch, latest, now);
        try {
            if (kept.size() == records.size() && !needsHorizon(batch, kept)) {
                out.append(batch.buffer());
            } else if (!kept.isEmpty()) {
                long horizon = batch.deleteHorizon() >= 0 ? batch.deleteHorizon() : now + cfg.deleteRetentionMs();
                boolean anyTombstone = kept.stream().anyMatch(StoredRecord::isTombstone);
                out.append(RecordBatch.encodeStored(
                        kept, batch.compression(), batch.epoch(), anyTombstone ? horizon : -1));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void renameStage(Path dir, long base, String fromSuffix, String toSuffix) throws IOException {
        for (String kind : List.of(SegmentFile.INDEX, SegmentFile.TIME_INDEX, SegmentFile.LOG)) {
            Path from = dir.resolve(SegmentFile.baseName(base) + kind + fromSuffix);
            if (Files.exists(from)) {
                Files.move(
                        from,
                        dir.resolve(SegmentFile.baseName(base) + kind + toSuffix),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteStage(Path dir, long base, String suffix) throws IOException {
        for (String kind : List.of(SegmentFile.INDEX, SegmentFile.TIME_INDEX, SegmentFile.LOG)) {
            Files.deleteIfExists(dir.resolve(SegmentFile.baseName(base) + kind + suffix));
        }
    }

    interface BatchVisitor {
        void visit(RecordBatch batch);
    }

    /** Reads every batch of a segment in order, CRC-checked. */
    static void forEachBatch(Segment segment, BatchVisitor visitor) throws IOException {
        int position = SegmentFile.HEADER_END;
        int end = segment.size();
        while (position < end) {
            ByteBuffer bytes = segment.read(position, READ_CHUNK);
            int pos = 0;
            while (pos < bytes.limit()) {
                int size = RecordBatch.sizeAt(bytes, pos);
                if (size < 0) {
                    break;
                }
                ByteBuffer view = bytes.duplicate();
                view.position(pos);
                RecordBatch batch = RecordBatch.wrap(view);
                batch.ensureValid(segment.file() + " position " + (position + pos));
                visitor.visit(batch);
                pos += size;
            }
            position += pos;
        }
    }
}
