package io.sluice.log;

import io.sluice.log.format.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Records whose encoded batch has an exact size, with content that is a function of their offset, so
 * tests can place batch boundaries on the scanner's chunk end, a segment's end or a fetch limit.
 */
final class BatchSizes {

    /** The chunk the segment scanner reads in. */
    static final int CHUNK = 1 << 20;

    private BatchSizes() {}

    /** One record for {@code offset} whose uncompressed single-record batch is exactly {@code batchBytes}. */
    static Record recordForBatchOf(long offset, int batchBytes) {
        int valueLength = Math.max(0, batchBytes - RecordBatch.HEADER_SIZE - 40);
        for (int attempt = 0; attempt < 8; attempt++) {
            Record r = record(offset, valueLength);
            int size = RecordBatch.encode(0, List.of(r), Compression.NONE, -1).remaining();
            if (size == batchBytes) {
                return r;
            }
            valueLength += batchBytes - size;
            if (valueLength < 0) {
                break;
            }
        }
        throw new IllegalArgumentException("no single-record batch of exactly " + batchBytes + " bytes");
    }

    /** The smallest batch one record of this family makes. */
    static int smallestBatch() {
        return RecordBatch.encode(0, List.of(record(0, 0)), Compression.NONE, -1)
                .remaining();
    }

    /** The record at {@code offset} with a value of {@code valueLength} pseudo-random bytes. */
    static Record record(long offset, int valueLength) {
        byte[] value = new byte[valueLength];
        new SplittableRandom(offset * 0x9E3779B97F4A7C15L + valueLength).nextBytes(value);
        byte[] key = ("k" + offset).getBytes(StandardCharsets.UTF_8);
        List<Header> headers =
                List.of(new Header("o", ByteBuffer.allocate(8).putLong(offset).array()));
        return new Record(key, value, headers, TestRecords.BASE_TIMESTAMP + offset);
    }

    /** True when {@code r} is exactly {@link #record} for its offset and value length. */
    static boolean isOriginal(StoredRecord r) {
        int length = r.value() == null ? -1 : r.value().length;
        return length >= 0 && r.toRecord().equals(record(r.offset(), length));
    }
}
