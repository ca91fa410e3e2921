package io.sluice.connect.s3;

import static io.sluice.connect.s3.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.S3Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class PartitionersIT {

    private final S3Fixture s3 = SinkHarness.s3();
    private final TopicPartition tp = new TopicPartition("orders", 3);

    @Test
    void shouldGroupByFieldValue() {
        String bucket = s3.createBucket("field");
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        "10",
                        "partitioner.class",
                        "io.confluent.connect.storage.partitioner.FieldPartitioner",
                        "partition.field.name",
                        "region,paid"),
                Set.of(tp))) {
            sink.put(TestRecords.orders("orders", 3, 0, 10));

            assertThat(s3.keys(bucket))
                    .containsExactly(
                            "topics/orders/region=eu/paid=false/orders+3+0000000002.json",
                            "topics/orders/region=eu/paid=true/orders+3+0000000000.json",
                            "topics/orders/region=us/paid=false/orders+3+0000000001.json",
                            "topics/orders/region=us/paid=true/orders+3+0000000003.json");
            long rows = s3.readAll(bucket).values().stream()
                    .mapToLong(o -> ObjectContents.jsonLines(o, false).size())
                    .sum();
            assertThat(rows).isEqualTo(10);
            assertThat(sink.commit()).containsEntry(tp, 10L);
        }
    }

    @Test
    void shouldGroupByNestedFieldOfAnEnvelope() {
        String bucket = s3.createBucket("nested-field");
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        "2",
                        "partitioner.class",
                        "field",
                        "partition.field.name",
                        "after.region"),
                Set.of(tp))) {
            sink.put(List.of(
                    TestRecords.record("orders", 3, 0, TestRecords.ENVELOPE, TestRecords.envelope(1, "c"), T0),
                    TestRecords.record("orders", 3, 1, TestRecords.ENVELOPE, TestRecords.envelope(1, "d"), T0)));
            assertThat(s3.keys(bucket))
                    .containsExactly(
                            "topics/orders/after.region=eu/orders+3+0000000000.json",
                            "topics/orders/after.region=null/orders+3+0000000001.json");
        }
    }

    @Test
    void shouldGroupByRecordHourInTheConfiguredZone() {
        String bucket = s3.createBucket("hourly");
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        "12",
                        "partitioner.class",
                        "io.confluent.connect.storage.partitioner.HourlyPartitioner",
                        "timestamp.extractor",
                        "Record",
                        "timezone",
                        "Europe/Paris",
                        "locale",
                        "en-US"),
                Set.of(tp))) {
            sink.put(timed(12, 10 * 60_000L)); // 07:00Z .. 08:50Z = 09:00 .. 10:50 in Paris (CEST)

            assertThat(s3.keys(bucket))
                    .containsExactly(
                            "topics/orders/year=2024/month=05/day=06/hour=09/orders+3+0000000000.json",
                            "topics/orders/year=2024/month=05/day=06/hour=10/orders+3+0000000006.json");
        }
    }

    @Test
    void shouldGroupByPathFormatAndDurationFromARecordField() {
        String bucket = s3.createBucket("time");
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        "6",
                        "partitioner.class",
                        "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
                        "path.format",
                        "'dt'=YYYY-MM-dd/'slot'=HH",
                        "partition.duration.ms",
                        "7200000",
                        "timestamp.extractor",
                        "RecordField",
                        "timestamp.field",
                        "created",
                        "timezone",
                        "UTC"),
                Set.of(tp))) {
            // created = T0 + id s with id = i * 3600: 07:00, 08:00 ... 12:00Z -> two-hour slots 06, 08, 10, 12
            List<SinkRecord> records = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                records.add(TestRecords.record("orders", 3, i, TestRecords.ORDER, TestRecords.order(i * 3600L), 0L));
            }
            sink.put(records);
            assertThat(s3.keys(bucket))
                    .containsExactly(
                            "topics/orders/dt=2024-05-06/slot=06/orders+3+0000000000.json",
                            "topics/orders/dt=2024-05-06/slot=08/orders+3+0000000001.json",
                            "topics/orders/dt=2024-05-06/slot=10/orders+3+0000000003.json",
                            "topics/orders/dt=2024-05-06/slot=12/orders+3+0000000005.json");
        }
    }

    @Test
    void shouldGroupByDay() {
        String bucket = s3.createBucket("daily");
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        "3",
                        "partitioner.class",
                        "daily",
                        "timestamp.extractor",
                        "Record",
                        "timezone",
                        "UTC"),
                Set.of(tp))) {
            sink.put(timed(3, 12 * 3_600_000L));
            assertThat(s3.keys(bucket))
                    .containsExactly(
                            "topics/orders/year=2024/month=05/day=06/orders+3+0000000000.json",
                            "topics/orders/year=2024/month=05/day=07/orders+3+0000000002.json");
        }
    }

    @Test
    void shouldRotateByRecordTime() {
        String bucket = s3.createBucket("rotate-time");
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        "1000",
                        "rotate.interval.ms",
                        "60000",
                        "timestamp.extractor",
                        "Record"),
                Set.of(tp))) {
            sink.put(timed(20, 10_000L)); // a record every 10 s: cut at 60 s, 120 s, 180 s

            assertThat(s3.keys(bucket))
                    .containsExactly(
                            "topics/orders/partition=3/orders+3+0000000000.json",
                            "topics/orders/partition=3/orders+3+0000000006.json",
                            "topics/orders/partition=3/orders+3+0000000012.json");
            assertThat(sink.commit()).containsEntry(tp, 18L);
        }
    }

    /** {@code n} orders with record timestamps {@code T0 + i * stepMs}. */
    private static List<SinkRecord> timed(int n, long stepMs) {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(TestRecords.record("orders", 3, i, TestRecords.ORDER, TestRecords.order(i), T0 + i * stepMs));
        }
        return records;
    }
}
