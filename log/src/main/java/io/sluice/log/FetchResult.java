package io.sluice.log;

import io.sluice.log.format.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole record batches read from a partition, already CRC-checked, all below the high watermark.
 * The first batch may start before the requested offset; {@link #records()} skips those entries.
 *
 * @param fetchOffset the offset asked for
 * @param batches concatenated batches (may be empty)
 * @param highWatermark the commit point when the fetch ran: readers never see records at or past it
 * @param logStartOffset the first offset still stored
 * @param nextOffset the offset to fetch next
 */
public record FetchResult(
        long fetchOffset, ByteBuffer batches, long highWatermark, long logStartOffset, long nextOffset) {

    public static FetchResult empty(long offset, long highWatermark, long logStartOffset) {
        return new FetchResult(offset, ByteBuffer.allocate(0), highWatermark, logStartOffset, offset);
    }

    public boolean isEmpty() {
        return !batches.hasRemaining();
    }

    public int sizeInBytes() {
        return batches.remaining();
    }

    /** The batches one by one, as views sharing this result's buffer. */
    public List<RecordBatch> batchList() {
        List<RecordBatch> out = new ArrayList<>();
        ByteBuffer buf = batches.duplicate();
        int pos = buf.position();
        while (pos < buf.limit()) {
            int size = RecordBatch.sizeAt(buf, pos);
            ByteBuffer slice = buf.duplicate();
            slice.position(pos);
            out.add(RecordBatch.wrap(slice));
            pos += size;
        }
        return out;
    }

    /** Decodes the records at or after {@link #fetchOffset()}, in offset order. */
    public List<StoredRecord> records() {
        List<StoredRecord> out = new ArrayList<>();
        for (RecordBatch batch : batchList()) {
            for (StoredRecord r : batch.records()) {
                if (r.offset() >= fetchOffset) {
                    out.add(r);
                }
            }
        }
        return out;
    }
}
