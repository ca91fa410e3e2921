package io.sluice.log.segment;

import io.sluice.log.CorruptRecordException;
import io.sluice.log.format.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks the batches of a segment file from a position, checking lengths, magic, offsets and
 * (optionally) CRCs, feeding each good batch to the segment's indexes. Reads in large chunks so a
 * scan of a whole segment runs at sequential-read speed; a batch larger than a chunk (up to {@link
 * RecordBatch#MAX_BATCH_SIZE}) or straddling a chunk's end is read again whole from its start. A
 * batch is reported torn only when the file itself ends before it does. Used by recovery and index
 * rebuilding; not thread-safe (one scan per call, on the caller's thread).
 */
final class BatchScanner {

    private static final int CHUNK = 1 << 20;

    interface Visitor {
        void batch(int position, RecordBatch batch);
    }

    private BatchScanner() {}

    /**
     * Scans from {@code fromPosition}, where the batch must start at or after {@code expectedNext}; every
     * batch must end at or before {@code offsetLimit} (the next segment's base). The base offset is not
     * covered by the CRC, so these bounds are what catch damage to it.
     */
    static ScanResult scan(
            FileChannel channel,
            int fromPosition,
            long expectedNext,
            long offsetLimit,
            boolean verifyCrc,
            Visitor visitor)
            throws IOException {
        long fileSize = channel.size();
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        buf.limit(0);
        long bufStart = fromPosition;
        long refilledAt = -1;
        int refilledFor = 0;
        int position = fromPosition;
        long next = expectedNext;
        long maxTs = Long.MIN_VALUE;
        int batches = 0;
        while (position < fileSize) {
            int rel = (int) (position - bufStart);
            int size;
            try {
                size = RecordBatch.sizeAt(buf, rel);
            } catch (CorruptRecordException e) {
                return new ScanResult(position, next, maxTs, batches, "position " + position + ": " + e.getMessage());
            }
            if (size < 0) {
                // The buffer ends inside this batch (or its header): read again from here with room for
                // the whole batch, whose size is known once its header is in the buffer.
                int needed = knownBatchSize(buf, rel);
                long left = fileSize - position;
                if (needed > left || (needed == 0 && left < RecordBatch.LOG_OVERHEAD)) {
                    return new ScanResult(
                            position,
                            next,
                            maxTs,
                            batches,
                            "position " + position + ": torn batch (" + left + " bytes left"
                                    + (needed > 0 ? " of a " + needed + "-byte batch)" : ")"));
                }
                int want = Math.max(CHUNK, needed);
                if (refilledAt == position && refilledFor >= want) {
                    return new ScanResult(
                            position,
                            next,
                            maxTs,
                            batches,
                            "position " + position + ": the file ended while reading a batch (" + left
                                    + " bytes were expected to follow)");
                }
                buf = refill(channel, buf, position, want);
                bufStart = position;
                refilledAt = position;
                refilledFor = want;
                continue;
            }
            ByteBuffer slice = buf.duplicate();
            slice.position(rel);
            RecordBatch batch = RecordBatch.wrap(slice);
            String reason = verifyCrc ? batch.invalidReason() : magicOnly(batch);
            if (reason == null && batch.baseOffset() < next) {
                reason = "base offset " + batch.baseOffset() + " is below the expected " + next;
            }
            if (reason == null && batch.nextOffset() > offsetLimit) {
                reason = "offsets run to " + batch.lastOffset() + ", past the next segment's base " + offsetLimit;
            }
            if (reason != null) {
                return new ScanResult(position, next, maxTs, batches, "position " + position + ": " + reason);
            }
            visitor.batch(position, batch);
            next = batch.nextOffset();
            maxTs = Math.max(maxTs, batch.maxTimestamp());
            batches++;
            position += size;
        }
        return new ScanResult(position, next, maxTs, batches, null);
    }

    private static String magicOnly(RecordBatch batch) {
        return batch.magic() == RecordBatch.MAGIC ? null : "unknown magic " + batch.magic();
    }

    private static int knownBatchSize(ByteBuffer buf, int rel) {
        if (buf.limit() - rel < RecordBatch.LOG_OVERHEAD) {
            return 0;
        }
        return buf.getInt(rel + RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
    }

    private static ByteBuffer refill(FileChannel channel, ByteBuffer old, long position, int size) throws IOException {
        ByteBuffer buf = old.capacity() >= size ? old : ByteBuffer.allocate(size);
        buf.clear();
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        buf.flip();
        return buf;
    }
}
