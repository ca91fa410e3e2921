package io.sluice.log;

import io.sluice.log.format.RecordBatch;
import io.sluice.log.segment.Segment;
import io.sluice.log.segment.SegmentFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Read paths of a {@link PartitionLog}: fetch, time lookup, and the segment walk behind truncation.
 * Reads take no lock; they work on the segment map as it is and stop at the high watermark.
 */
final class PartitionReader {

    private PartitionReader() {}

    static FetchResult fetch(PartitionLog p, long offset, int maxBytes) throws IOException {
        p.ensureOnline();
        long hw = p.highWatermark();
        long start = p.logStartOffset();
        long end = p.logEndOffset();
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException(p.topicPartition(), offset, start, end);
        }
        if (offset >= hw) {
            return FetchResult.empty(offset, hw, start);
        }
        DamagedRange hole = p.damageCovering(offset);
        if (hole != null) {
            throw new PartitionDamagedException(p.topicPartition(), hole);
        }
        Map.Entry<Long, Segment> entry = p.segmentMap().floorEntry(offset);
        if (entry == null) {
            entry = p.segmentMap().firstEntry();
        }
        while (entry != null) {
            Segment seg = entry.getValue();
            int position = seg.positionOf(offset);
            if (position >= 0) {
                ByteBuffer bytes = seg.read(position, maxBytes);
                return committedPrefix(p, seg, position, bytes, offset, hw, start);
            }
            entry = p.segmentMap().higherEntry(entry.getKey());
        }
        return FetchResult.empty(offset, hw, start);
    }

    /** Keeps the whole, CRC-valid batches of {@code bytes} that lie below the high watermark. */
    private static FetchResult committedPrefix(
            PartitionLog p, Segment seg, int position, ByteBuffer bytes, long offset, long hw, long start)
            throws IOException {
        int pos = 0;
        long next = offset;
        while (pos < bytes.limit()) {
            int size;
            try {
                size = RecordBatch.sizeAt(bytes, pos);
            } catch (CorruptRecordException e) {
                if (pos > 0) {
                    break;
                }
                throw corrupt(seg, position + pos, next, e.getMessage());
            }
            if (size < 0) {
                break;
            }
            ByteBuffer view = bytes.duplicate();
            view.position(pos);
            RecordBatch batch = RecordBatch.wrap(view);
            if (batch.lastOffset() >= hw) {
                if (batch.nextOffset() > seg.nextOffset() && !isActive(p, seg)) {
                    throw corrupt(
                            seg,
                            position + pos,
                            next,
                            "offsets run to " + batch.lastOffset() + ", past the end of the closed segment at "
                                    + seg.nextOffset());
                }
                break;
            }
            String reason = batch.invalidReason();
            if (reason == null && batch.lastOffset() < next) {
                reason = "offsets go backwards (" + batch.baseOffset() + " after " + next + ")";
            }
            if (reason == null) {
                // the base offset is outside the CRC: it must end before the batch that follows it
                long following = followingBase(seg, bytes, pos + size, position + pos + size);
                if (batch.nextOffset() > following) {
                    reason = "offsets run to " + batch.lastOffset() + ", past the following batch at " + following;
                }
            }
            if (reason != null && pos > 0) {
                break; // return the good batches ahead of it; the next fetch starts at the bad one
            }
            if (reason != null) {
                throw corrupt(seg, position + pos, next, reason);
            }
            next = Math.max(next, batch.nextOffset());
            pos += size;
        }
        bytes.limit(pos);
        return new FetchResult(offset, bytes, hw, start, next);
    }

    private static boolean isActive(PartitionLog p, Segment seg) {
        return p.activeSegment() == seg;
    }

    /** Base offset of the batch after the one ending at {@code rel} of {@code bytes}, or the segment's end. */
    private static long followingBase(Segment seg, ByteBuffer bytes, int rel, int filePosition) throws IOException {
        if (rel + 8 <= bytes.limit()) {
            return bytes.getLong(rel);
        }
        if (filePosition < seg.size()) {
            return seg.baseOffsetAt(filePosition);
        }
        return seg.nextOffset();
    }

    private static CorruptBatchException corrupt(Segment seg, int filePosition, long afterOffset, String reason) {
        return new CorruptBatchException(
                seg,
                "corrupt batch in " + seg.file() + " at position " + filePosition + " (after offset " + afterOffset
                        + "): " + reason);
    }

    static OptionalLong offsetForTime(PartitionLog p, long timestamp) throws IOException {
        long hw = p.highWatermark();
        for (Segment seg : p.segmentMap().values()) {
            if (seg.maxTimestamp() < timestamp || seg.baseOffset() >= hw) {
                continue;
            }
            long from = Math.max(seg.timeIndex().scanStartFor(timestamp), p.logStartOffset());
            int position = seg.positionOf(from);
            while (position >= 0 && position < seg.size()) {
                FetchResult chunk =
                        committedPrefix(p, seg, position, seg.read(position, 1 << 20), from, hw, p.logStartOffset());
                if (chunk.isEmpty()) {
                    break;
                }
                for (RecordBatch batch : chunk.batchList()) {
                    if (batch.maxTimestamp() >= timestamp) {
                        for (StoredRecord r : batch.records()) {
                            if (r.timestamp() >= timestamp && r.offset() >= p.logStartOffset()) {
                                return OptionalLong.of(r.offset());
                            }
                        }
                    }
                }
                position += chunk.sizeInBytes();
            }
        }
        return OptionalLong.empty();
    }

    /** Drops records at or after {@code offset}. Caller holds the partition lock. */
    static void truncate(PartitionLog p, long offset) throws IOException {
        var map = p.segmentMap();
        while (map.size() > 1 && map.lastKey() >= offset) {
            Segment last = map.pollLastEntry().getValue();
            last.closeAndDelete();
        }
        Segment seg = map.lastEntry().getValue();
        p.setActive(seg);
        if (seg.baseOffset() >= offset) {
            seg.truncateToPosition(SegmentFile.HEADER_END, seg.baseOffset());
            return;
        }
        int position = seg.positionOf(offset);
        if (position < 0) {
            return;
        }
        FetchResult head = committedPrefix(p, seg, position, seg.read(position, 0), offset, Long.MAX_VALUE, 0);
        long base = head.batchList().get(0).baseOffset();
        if (base != offset) {
            throw new IllegalArgumentException("offset " + offset + " of " + p.topicPartition()
                    + " is inside the batch starting at " + base + "; truncation needs a batch boundary");
        }
        seg.truncateToPosition(position, offset);
    }
}
