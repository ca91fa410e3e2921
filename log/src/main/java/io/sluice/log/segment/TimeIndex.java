package io.sluice.log.segment;

import io.sluice.log.format.IndexHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Sparse time index of one segment: (max timestamp so far, relative offset) pairs, added when the
 * maximum timestamp grows. Used by {@code offsetForTime}. Persisted to {@code <base>.timeindex};
 * rebuilt from the segment when missing or damaged. Thread-safe like {@link OffsetIndex}.
 */
public final class TimeIndex {

    static final int ENTRY_SIZE = 12;

    private final Path file;
    private final long baseOffset;
    private long[] timestamps = new long[32];
    private int[] relativeOffsets = new int[32];
    private int count;
    private int persisted;
    private boolean rewriteNeeded;

    /**
     * A new, empty index. Its first flush replaces whatever file is there: the entries are being
     * rebuilt from the segment, so an existing file is stale or damaged and must not be appended to.
     */
    TimeIndex(Path file, long baseOffset) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.rewriteNeeded = true;
    }

    static TimeIndex load(Path file, long baseOffset, long nextOffset) {
        ByteBuffer entries = IndexFile.readEntries(file, IndexHeader.TIME_INDEX_MAGIC, ENTRY_SIZE, baseOffset);
        if (entries == null) {
            return null;
        }
        TimeIndex index = new TimeIndex(file, baseOffset);
        while (entries.hasRemaining()) {
            long ts = entries.getLong();
            int rel = entries.getInt();
            if (rel < 0 || baseOffset + rel >= nextOffset) {
                return null;
            }
            if (index.count > 0
                    && (ts <= index.timestamps[index.count - 1] || rel < index.relativeOffsets[index.count - 1])) {
                return null;
            }
            index.add(ts, rel);
        }
        index.persisted = index.count;
        index.rewriteNeeded = false;
        return index;
    }

    public synchronized void maybeAppend(long maxTimestamp, long offset) {
        if (count > 0 && maxTimestamp <= timestamps[count - 1]) {
            return;
        }
        add(maxTimestamp, Math.toIntExact(offset - baseOffset));
    }

    private void add(long ts, int rel) {
        if (count == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, count * 2);
            relativeOffsets = Arrays.copyOf(relativeOffsets, count * 2);
        }
        timestamps[count] = ts;
        relativeOffsets[count] = rel;
        count++;
    }

    /**
     * An offset from which to scan for the first record with timestamp >= {@code timestamp}: the
     * offset of the last entry whose max timestamp is still below it, or the segment base.
     */
    public synchronized long scanStartFor(long timestamp) {
        long start = baseOffset;
        for (int i = 0; i < count && timestamps[i] < timestamp; i++) {
            start = baseOffset + relativeOffsets[i];
        }
        return start;
    }

    public synchronized long maxTimestamp() {
        return count == 0 ? Long.MIN_VALUE : timestamps[count - 1];
    }

    synchronized void truncateToOffset(long offset) {
        int keep = count;
        while (keep > 0 && baseOffset + relativeOffsets[keep - 1] >= offset) {
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

    synchronized void flush() throws IOException {
        IndexHeader header = new IndexHeader(IndexHeader.TIME_INDEX_MAGIC, ENTRY_SIZE, baseOffset);
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
            out.putLong(timestamps[i]).putInt(relativeOffsets[i]);
        }
        out.flip();
        return out;
    }

    Path file() {
        return file;
    }
}
