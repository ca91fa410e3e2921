package io.sluice.log.segment;

import io.sluice.log.format.IndexHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sparse offset index of one segment: (relative offset, file position) pairs, one every
 * {@code index.interval.bytes} of batches. Held in memory and persisted to {@code <base>.index} so a
 * restart need not rescan the segment; a missing or damaged file is rebuilt from the segment.
 *
 * <p>Thread-safe: one appender (under the partition's append lock) and any number of readers.
 */
public final class OffsetIndex {

    static final int ENTRY_SIZE = 8;

    private final Path file;
    private final long baseOffset;
    private int[] relativeOffsets = new int[64];
    private int[] positions = new int[64];
    private int count;
    private int persisted;
    private boolean rewriteNeeded;

    /**
     * A new, empty index. Its first flush replaces whatever file is there: the entries are being
     * rebuilt from the segment, so an existing file is stale or damaged and must not be appended to.
     */
    OffsetIndex(Path file, long baseOffset) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.rewriteNeeded = true;
    }

    /** Loads the index file, or returns {@code null} when it is missing, damaged or inconsistent. */
    static OffsetIndex load(Path file, long baseOffset, int segmentSize) {
        ByteBuffer entries = IndexFile.readEntries(file, IndexHeader.OFFSET_INDEX_MAGIC, ENTRY_SIZE, baseOffset);
        if (entries == null) {
            return null;
        }
        OffsetIndex index = new OffsetIndex(file, baseOffset);
        int lastRel = -1;
        int lastPos = -1;
        while (entries.hasRemaining()) {
            int rel = entries.getInt();
            int pos = entries.getInt();
            if (rel <= lastRel || pos <= lastPos || pos < SegmentFile.HEADER_END || pos >= segmentSize) {
                return null;
            }
            index.add(rel, pos);
            lastRel = rel;
            lastPos = pos;
        }
        index.persisted = index.count;
        index.rewriteNeeded = false;
        return index;
    }

    public synchronized void append(long offset, int position) {
        int rel = Math.toIntExact(offset - baseOffset);
        if (count > 0 && (rel <= relativeOffsets[count - 1] || position <= positions[count - 1])) {
            return;
        }
        add(rel, position);
    }

    private void add(int rel, int position) {
        if (count == relativeOffsets.length) {
            relativeOffsets = Arrays.copyOf(relativeOffsets, count * 2);
            positions = Arrays.copyOf(positions, count * 2);
        }
        relativeOffsets[count] = rel;
        positions[count] = position;
        count++;
    }

    /** Position of the last indexed batch starting at or before {@code offset}, else the first batch. */
    public synchronized int floorPosition(long offset) {
        long rel = offset - baseOffset;
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (relativeOffsets[mid] <= rel) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? SegmentFile.HEADER_END : positions[found];
    }

    /** Drops entries at or after {@code position} (the segment was truncated there). */
    synchronized void truncateToPosition(int position) {
        int keep = count;
        while (keep > 0 && positions[keep - 1] >= position) {
            keep--;
        }
        if (keep < count) {
            count = keep;
            if (persisted > count) {
                persisted = count;
                rewriteNeeded = true;
            }
        }
    }

    synchronized int entries() {
        return count;
    }

    synchronized void flush() throws IOException {
        IndexHeader header = new IndexHeader(IndexHeader.OFFSET_INDEX_MAGIC, ENTRY_SIZE, baseOffset);
        if (rewriteNeeded) {
            IndexFile.rewrite(file, header, encode(0));
            rewriteNeeded = false;
        } else if (persisted < count || !java.nio.file.Files.exists(file)) {
            IndexFile.append(file, header, encode(persisted));
        }
        persisted = count;
    }

    private ByteBuffer encode(int from) {
        ByteBuffer out = ByteBuffer.allocate((count - from) * ENTRY_SIZE);
        for (int i = from; i < count; i++) {
            out.putInt(relativeOffsets[i]).putInt(positions[i]);
        }
        out.flip();
        return out;
    }

    Path file() {
        return file;
    }
}
