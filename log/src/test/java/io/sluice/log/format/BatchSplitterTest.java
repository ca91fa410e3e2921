package io.sluice.log.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.log.Compression;
import io.sluice.log.Header;
import io.sluice.log.Record;
import io.sluice.log.RecordTooLargeException;
import io.sluice.log.StoredRecord;
import io.sluice.log.TopicPartition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchSplitterTest {

    private static final int LIMIT = 64 * 1024;

    private static Record record(int valueBytes, long seed) {
        byte[] value = new byte[valueBytes];
        new SplittableRandom(seed).nextBytes(value);
        return new Record(
                ("k" + seed).getBytes(),
                value,
                List.of(new Header("seq", Long.toString(seed).getBytes())),
                1000 + seed);
    }

    /** Records whose single batch is exactly {@code total} bytes, the last one padded to get there. */
    private static List<Record> recordsTotalling(int total, int count) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < count - 1; i++) {
            records.add(record(100, i));
        }
        int value = 0;
        while (true) {
            List<Record> attempt = new ArrayList<>(records);
            attempt.add(record(value, count - 1));
            int size = RecordBatch.encode(0, attempt, Compression.NONE, -1).remaining();
            if (size == total) {
                return attempt;
            }
            assertThat(size).as("padding overshot").isLessThan(total);
            value += Math.max(1, (total - size) / 2);
        }
    }

    private static List<Record> decode(List<ByteBuffer> batches) {
        List<Record> out = new ArrayList<>();
        for (ByteBuffer b : batches) {
            RecordBatch batch = RecordBatch.wrap(b);
            batch.ensureValid("test");
            batch.records().stream().map(StoredRecord::toRecord).forEach(out::add);
        }
        return out;
    }

    @Test
    void shouldKeepRecordsExactlyAtTheLimitInOneBatch() {
        List<Record> records = recordsTotalling(LIMIT, 20);

        List<ByteBuffer> batches = BatchSplitter.encode(records, Compression.NONE, 3, LIMIT);

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).remaining()).isEqualTo(LIMIT);
        assertThat(decode(batches)).isEqualTo(records);
    }

    @Test
    void shouldSplitRecordsOneByteOverTheLimitIntoTwoBatches() {
        List<Record> records = recordsTotalling(LIMIT + 1, 20);

        List<ByteBuffer> batches = BatchSplitter.encode(records, Compression.NONE, 3, LIMIT);

        assertThat(batches).hasSize(2);
        assertThat(batches).allSatisfy(b -> assertThat(b.remaining()).isLessThanOrEqualTo(LIMIT));
        assertThat(decode(batches)).isEqualTo(records);
        assertThat(RecordBatch.wrap(batches.get(1)).epoch()).isEqualTo(3);
    }

    @Test
    void shouldGiveASingleRecordOfTheLimitABatchOfItsOwn() {
        Record big = recordsTotalling(LIMIT, 1).get(0);
        assertThat(RecordBatch.sizeOfRecord(big)).isEqualTo(LIMIT);
        List<Record> records = List.of(record(10, 1), big, record(10, 2));

        List<ByteBuffer> batches = BatchSplitter.encode(records, Compression.NONE, -1, LIMIT);

        assertThat(batches).hasSize(3);
        assertThat(batches.get(1).remaining()).isEqualTo(LIMIT);
        assertThat(decode(batches)).isEqualTo(records);
    }

    @Test
    void shouldPackManyTinyRecordsIntoFullBatchesInOrder() {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            records.add(Record.of(null, new byte[] {(byte) i}, i));
        }

        List<ByteBuffer> batches = BatchSplitter.encode(records, Compression.NONE, -1, LIMIT);

        assertThat(batches).allSatisfy(b -> assertThat(b.remaining()).isLessThanOrEqualTo(LIMIT));
        // every batch but the last is full to within one record
        for (ByteBuffer b : batches.subList(0, batches.size() - 1)) {
            assertThat(b.remaining()).isGreaterThan(LIMIT - 32);
        }
        assertThat(decode(batches)).isEqualTo(records);
    }

    @Test
    void shouldSplitACompressedBatchThatCameOutLargerThanTheLimit() {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(record(3000, i)); // random bytes: LZ4 makes them larger, not smaller
        }
        List<ByteBuffer> batches = BatchSplitter.encode(records, Compression.LZ4, -1, 3 * 3100);

        assertThat(batches).allSatisfy(b -> assertThat(b.remaining()).isLessThanOrEqualTo(3 * 3100));
        assertThat(decode(batches)).isEqualTo(records);
    }

    @Test
    void shouldNameTopicPartitionSizeAndLimitOfARecordTooLarge() {
        List<Record> records = List.of(record(10, 0), record(LIMIT, 1));
        int size = RecordBatch.sizeOfRecord(records.get(1));

        assertThatThrownBy(() -> BatchSplitter.checkRecordSizes(new TopicPartition("orders", 2), records, LIMIT))
                .isInstanceOf(RecordTooLargeException.class)
                .hasMessageContainingAll(
                        "record 1 of 2",
                        "partition 2 of topic orders",
                        size + " bytes",
                        "max.message.bytes of " + LIMIT,
                        "sluice.log.max-message-bytes");
        BatchSplitter.checkRecordSizes(new TopicPartition("orders", 2), records, size);
    }
}
