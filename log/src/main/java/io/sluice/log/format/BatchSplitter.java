package io.sluice.log.format;

import io.sluice.log.Compression;
import io.sluice.log.Record;
import io.sluice.log.RecordTooLargeException;
import io.sluice.log.TopicConfig;
import io.sluice.log.TopicPartition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the records of one append, of any number and total size, into consecutive record batches
 * of at most a given size, in record order, and checks each record against its topic's
 * {@code max.message.bytes}. Sizes of uncompressed batches are computed exactly before encoding; a
 * compressed batch that comes out larger than the limit (incompressible data) is split again. A
 * single record larger than the limit gets a batch of its own.
 *
 * <p>Stateless and thread-safe.
 */
public final class BatchSplitter {

    private BatchSplitter() {}

    /**
     * Throws {@link RecordTooLargeException} for the first record of {@code records} whose
     * {@linkplain RecordBatch#sizeOfRecord size} exceeds {@code maxMessageBytes}, naming the topic,
     * partition, record index and size, the limit and the settings that raise it.
     */
    public static void checkRecordSizes(TopicPartition tp, List<Record> records, int maxMessageBytes) {
        for (int i = 0; i < records.size(); i++) {
            int size = RecordBatch.sizeOfRecord(records.get(i));
            if (size > maxMessageBytes) {
                throw new RecordTooLargeException(
                        "record " + i + " of " + records.size() + " for partition " + tp.partition() + " of topic "
                                + tp.topic() + " is " + size + " bytes, above the topic's "
                                + TopicConfig.MAX_MESSAGE_BYTES + " of " + maxMessageBytes
                                + " bytes; raise the topic's " + TopicConfig.MAX_MESSAGE_BYTES
                                + " (sluice.log.max-message-bytes for new topics)",
                        size,
                        maxMessageBytes);
            }
        }
    }

    /**
     * Encodes {@code records} (at least one) as consecutive batches with dense offset deltas from 0,
     * each at most {@code maxBatchBytes} unless it holds a single larger record.
     */
    public static List<ByteBuffer> encode(List<Record> records, Compression compression, int epoch, int maxBatchBytes) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one record");
        }
        List<ByteBuffer> batches = new ArrayList<>();
        int start = 0;
        while (start < records.size()) {
            int end = fittingEnd(records, start, maxBatchBytes);
            encodeChunk(records.subList(start, end), compression, epoch, maxBatchBytes, batches);
            start = end;
        }
        return batches;
    }

    /** The end (exclusive) of the longest run from {@code start} whose uncompressed batch fits. */
    static int fittingEnd(List<Record> records, int start, int maxBatchBytes) {
        long baseTimestamp = records.get(start).timestamp();
        long size = RecordBatch.HEADER_SIZE;
        int i = start;
        while (i < records.size()) {
            Record r = records.get(i);
            long entry = EntryCodec.sizeOf(i - start, r.timestamp() - baseTimestamp, r.key(), r.value(), r.headers());
            if (i > start && size + entry > maxBatchBytes) {
                break;
            }
            size += entry;
            i++;
        }
        return i;
    }

    private static void encodeChunk(
            List<Record> chunk, Compression compression, int epoch, int maxBatchBytes, List<ByteBuffer> out) {
        ByteBuffer batch = RecordBatch.encode(0, chunk, compression, epoch);
        if (batch.remaining() <= maxBatchBytes || chunk.size() == 1) {
            out.add(batch);
            return;
        }
        int half = chunk.size() / 2;
        encodeChunk(chunk.subList(0, half), compression, epoch, maxBatchBytes, out);
        encodeChunk(chunk.subList(half, chunk.size()), compression, epoch, maxBatchBytes, out);
    }
}
