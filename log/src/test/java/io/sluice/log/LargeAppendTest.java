package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.log.format.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends of any total size to one partition, and records up to the topic's {@code max.message.bytes}. */
class LargeAppendTest {

    @TempDir
    Path dir;

    private static Record record(int seq, int valueBytes) {
        byte[] value = new byte[valueBytes];
        new SplittableRandom(seq).nextBytes(value);
        ByteBuffer.wrap(value).putInt(0, seq);
        return new Record(("key-" + seq).getBytes(), value, List.of(new Header("seq", new byte[] {(byte) seq})), seq);
    }

    private static List<StoredRecord> readAll(PartitionLog p) {
        List<StoredRecord> out = new ArrayList<>();
        long offset = p.logStartOffset();
        while (offset < p.highWatermark()) {
            FetchResult r = p.fetch(offset, 1 << 20);
            out.addAll(r.records());
            offset = r.nextOffset();
        }
        return out;
    }

    @Test
    void shouldSplitAnAppendLargerThanTheLargestBatchAndReadItBackAfterReopening() {
        List<Record> poll = new ArrayList<>();
        long total = 0;
        for (int i = 0; total <= RecordBatch.MAX_BATCH_SIZE + (6L << 20); i++) {
            Record r = record(i, i % 7 == 0 ? 3 << 20 : 700 << 10);
            poll.add(r);
            total += r.value().length;
        }
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("big", Map.of());
            AppendResult result = log.partition("big", 0).append(poll);
            assertThat(result.baseOffset()).isZero();
            assertThat(result.lastOffset()).isEqualTo(poll.size() - 1);
        }
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            PartitionLog reopened = log.partition("big", 0);
            assertThat(reopened.offlineReason())
                    .as("recovery: %s", reopened.recoveryEvents())
                    .isNull();
            List<StoredRecord> read = readAll(reopened);
            assertThat(read).hasSize(poll.size());
            for (int i = 0; i < poll.size(); i++) {
                assertThat(read.get(i).offset()).isEqualTo(i);
                assertThat(read.get(i).toRecord()).as("record %d", i).isEqualTo(poll.get(i));
            }
        }
    }

    @Test
    void shouldRefuseARecordOverMaxMessageBytesNamingItAndStoreNothingOfItsAppend() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("t", Map.of());
            PartitionLog p = log.partition("t", 0);
            Record tooLarge = record(1, TopicConfig.DEFAULT_MAX_MESSAGE_BYTES);

            assertThatThrownBy(() -> p.append(List.of(record(0, 10), tooLarge)))
                    .isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContainingAll(
                            "record 1 of 2",
                            "partition 0 of topic t",
                            RecordBatch.sizeOfRecord(tooLarge) + " bytes",
                            "max.message.bytes of " + TopicConfig.DEFAULT_MAX_MESSAGE_BYTES);
            assertThat(p.logEndOffset()).isZero();

            Record largest = record(2, TopicConfig.DEFAULT_MAX_MESSAGE_BYTES - 200);
            assertThat(RecordBatch.sizeOfRecord(largest)).isLessThanOrEqualTo(TopicConfig.DEFAULT_MAX_MESSAGE_BYTES);
            p.append(List.of(largest));
            assertThat(readAll(p))
                    .singleElement()
                    .satisfies(r -> assertThat(r.toRecord()).isEqualTo(largest));
        }
    }

    @Test
    void shouldTakeLargerRecordsOnATopicThatRaisedMaxMessageBytes() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("wide", Map.of(TopicConfig.MAX_MESSAGE_BYTES, Integer.toString(20 << 20)));
            Record twelveMiB = record(1, 12 << 20);
            log.partition("wide", 0).append(List.of(twelveMiB, record(2, 5)));
            assertThat(readAll(log.partition("wide", 0))).hasSize(2);
        }
    }

    @Test
    void shouldRefuseMaxMessageBytesOutsideItsRange() {
        assertThatThrownBy(() -> TopicConfig.parse(Map.of(TopicConfig.MAX_MESSAGE_BYTES, "100")))
                .hasMessageContaining("max.message.bytes=100 must be between 1024 and " + RecordBatch.MAX_RECORD_SIZE);
        assertThat(TopicConfig.parse(Map.of()).maxMessageBytes()).isEqualTo(8 << 20);
        assertThat(TopicConfig.parse(TopicConfig.DEFAULTS.toMap())).isEqualTo(TopicConfig.DEFAULTS);
    }
}
