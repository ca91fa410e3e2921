package io.sluice.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.S3Fixture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * Crash and replay: a task is abandoned (no close, no stop) after some of its objects were uploaded
 * beyond the last committed offset; a new task starts from the committed offsets and is fed
 * everything from there again in different batch sizes. Every record must be in the bucket once.
 */
class ExactlyOnceIT {

    private static final int RECORDS = 1000;

    private final S3Fixture s3 = SinkHarness.s3();
    private final List<TopicPartition> partitions =
            List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1));

    @Test
    void shouldHoldEveryRecordOnceAfterACrashWithTheDefaultPartitioner() {
        String bucket = s3.createBucket("eos-default");
        crashAndReplay(SinkHarness.props(s3, bucket, "flush.size", "50"), 630);
        assertEveryRecordOnce(bucket, false);
    }

    @Test
    void shouldHoldEveryRecordOnceAfterACrashWithFieldsRecordTimeRotationAndParquet() {
        String bucket = s3.createBucket("eos-field");
        crashAndReplay(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        "70",
                        "format.class",
                        "parquet",
                        "partitioner.class",
                        "field",
                        "partition.field.name",
                        "region",
                        "rotate.interval.ms",
                        "45000",
                        "timestamp.extractor",
                        "Record"),
                480);
        assertEveryRecordOnce(bucket, true);
    }

    @Test
    void shouldHoldEveryRecordOnceAfterACrashWithHourlyFolders() {
        String bucket = s3.createBucket("eos-hourly");
        crashAndReplay(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        "91",
                        "partitioner.class",
                        "hourly",
                        "timestamp.extractor",
                        "Record",
                        "timezone",
                        "UTC"),
                777);
        assertEveryRecordOnce(bucket, false);
    }

    private void crashAndReplay(Map<String, String> props, int crashAfter) {
        Random random = new Random(42);
        Map<TopicPartition, Long> committed = new HashMap<>();
        SinkHarness first = new SinkHarness(props, Set.copyOf(partitions));
        long fed = 0;
        int batches = 0;
        while (fed < crashAfter) {
            int size = 1 + random.nextInt(40);
            for (TopicPartition tp : partitions) {
                first.put(TestRecords.orders(tp.topic(), tp.partition(), fed, Math.min(fed + size, RECORDS)));
            }
            fed = Math.min(fed + size, RECORDS);
            if (++batches % 4 == 0) {
                committed.putAll(first.commit());
            }
        }
        // crash: the task is abandoned; objects uploaded since the last commit stay in the bucket
        assertThat(committed.values()).allMatch(o -> o < crashAfter);

        try (SinkHarness second = new SinkHarness(props, Set.copyOf(partitions))) {
            for (TopicPartition tp : partitions) {
                long from = committed.getOrDefault(tp, 0L);
                while (from < RECORDS) {
                    long to = Math.min(RECORDS, from + 1 + random.nextInt(90));
                    second.put(TestRecords.orders(tp.topic(), tp.partition(), from, to));
                    from = to;
                }
                // a record far in the future closes what record-time or folders left open
                second.put(List.of(sentinel(tp)));
            }
            second.commit();
            for (TopicPartition tp : partitions) {
                assertThat(second.committed.get(tp)).isGreaterThanOrEqualTo(RECORDS);
            }
        }
    }

    /**
     * Offset RECORDS, ten days later: closes what record-time rotation left open; with flush.size
     * it completes the last object (1001 records = 11 x 91) or starts the next one (50).
     */
    private static SinkRecord sentinel(TopicPartition tp) {
        List<SinkRecord> r = new ArrayList<>();
        SinkRecord base = TestRecords.orders(tp.topic(), tp.partition(), RECORDS, RECORDS + 1)
                .get(0);
        r.add(base.newRecord(
                base.topic(),
                base.kafkaPartition(),
                base.keySchema(),
                base.key(),
                base.valueSchema(),
                base.value(),
                TestRecords.T0 + 86_400_000L * 10));
        return r.get(0);
    }

    private void assertEveryRecordOnce(String bucket, boolean parquet) {
        Map<String, Integer> seen = new HashMap<>();
        s3.readAll(bucket).forEach((key, bytes) -> {
            int partition =
                    Integer.parseInt(key.substring(key.lastIndexOf('/') + 1).split("\\+")[1]);
            List<Long> ids = parquet
                    ? ObjectContents.parquet(bytes).rows().stream()
                            .map(g -> g.getLong("id", 0))
                            .toList()
                    : ObjectContents.jsonLines(bytes, false).stream()
                            .map(n -> n.get("id").asLong())
                            .toList();
            ids.forEach(id -> seen.merge(partition + "/" + id, 1, Integer::sum));
        });
        for (TopicPartition tp : partitions) {
            for (long id = 0; id < RECORDS; id++) {
                assertThat(seen.get(tp.partition() + "/" + id))
                        .as("times record %s-%d is in the bucket", tp, id)
                        .isEqualTo(1);
            }
        }
        assertThat(seen.entrySet()).allMatch(e -> e.getValue() == 1);
    }
}
