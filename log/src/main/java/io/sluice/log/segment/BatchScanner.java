package io.sluice.log.segment;

import io.sluice.log.CorruptRecordException;
import io.sluice.log.format.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Walks the batches of a segment file from a position, checking lengths, magic, offsets and
 * (optionally) CRCs, feeding each good batch to the segment's indexes. Reads in large chunks so a
 * scan of a whole segment runs at sequential-read speed. Used by recovery and index rebuilding.
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
                // torn only if a read from this very position already had room for the whole batch: a
                // batch larger than the chunk is read again with its known size
                if (refilledAt == position && knownBatchSize(buf, rel) <= buf.capacity()) {
                    return new ScanResult(
                            position,
                            next,
                            maxTs,
                            batches,
                            "position " + position + ": torn batch (" + (fileSize - position) + " bytes left)");
                }
                buf = refill(channel, buf, position, Math.max(CHUNK, knownBatchSize(buf, rel)));
                bufStart = position;
                refilledAt = position;
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
