package io.sluice.connect.s3;

import static io.sluice.connect.s3.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.S3Fixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class JsonFormatIT {

    private final S3Fixture s3 = SinkHarness.s3();
    private final TopicPartition orders0 = new TopicPartition("orders", 0);

    @Test
    void shouldWriteJsonLinesUnderConfluentNamesAndRotateByFlushSize() {
        String bucket = s3.createBucket("json");
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        "10",
                        "format.class",
                        "io.confluent.connect.s3.format.json.JsonFormat"),
                Set.of(orders0))) {
            sink.put(TestRecords.orders("orders", 0, 0, 25));

            assertThat(s3.keys(bucket))
                    .containsExactly(
                            "topics/orders/partition=0/orders+0+0000000000.json",
                            "topics/orders/partition=0/orders+0+0000000010.json");
            assertThat(sink.commit()).containsEntry(orders0, 20L);

            List<JsonNode> rows = ObjectContents.jsonLines(
                    s3.readAll(bucket).get("topics/orders/partition=0/orders+0+0000000000.json"), false);
            assertThat(rows).hasSize(10);
            JsonNode row3 = rows.get(3);
            assertThat(row3.get("id").asLong()).isEqualTo(3);
            assertThat(row3.get("customer").asText()).isEqualTo("customer-3 \"quoted\" ü");
            assertThat(row3.get("paid").asBoolean()).isTrue();
            assertThat(row3.get("price").decimalValue()).isEqualByComparingTo("10.03");
            assertThat(row3.get("created").asLong()).isEqualTo(T0 + 3000);
            assertThat(row3.get("tags").get(1).asText()).isEqualTo("b3");
            assertThat(row3.get("attrs").get("k").asInt()).isEqualTo(3);
            assertThat(rows.get(0).get("note").isNull()).isTrue();
        }
    }

    @Test
    void shouldWriteDebeziumEnvelopesNestedAndSkipTombstonesWithGzip() {
        String bucket = s3.createBucket("cdc");
        TopicPartition tp = new TopicPartition("shop.orders", 0);
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(s3, bucket, "flush.size", "4", "s3.compression.type", "gzip"), Set.of(tp))) {
            List<SinkRecord> records = new ArrayList<>();
            records.add(
                    TestRecords.record("shop.orders", 0, 0, TestRecords.ENVELOPE, TestRecords.envelope(1, "c"), T0));
            records.add(
                    TestRecords.record("shop.orders", 0, 1, TestRecords.ENVELOPE, TestRecords.envelope(1, "u"), T0));
            records.add(
                    TestRecords.record("shop.orders", 0, 2, TestRecords.ENVELOPE, TestRecords.envelope(1, "d"), T0));
            records.add(TestRecords.record("shop.orders", 0, 3, null, null, T0)); // tombstone
            records.add(
                    TestRecords.record("shop.orders", 0, 4, TestRecords.ENVELOPE, TestRecords.envelope(2, "c"), T0));
            sink.put(records);

            Map<String, byte[]> objects = s3.readAll(bucket);
            assertThat(objects).containsOnlyKeys("topics/shop.orders/partition=0/shop.orders+0+0000000000.json.gz");
            List<JsonNode> rows =
                    ObjectContents.jsonLines(objects.values().iterator().next(), true);
            assertThat(rows).extracting(r -> r.get("op").asText()).containsExactly("c", "u", "d", "c");
            assertThat(rows.get(0).get("before").isNull()).isTrue();
            assertThat(rows.get(0).get("after").get("customer").asText()).isEqualTo("c1");
            assertThat(rows.get(2).get("after").isNull()).isTrue();
            assertThat(rows.get(2).get("source").get("lsn").asLong()).isEqualTo(1001);
            assertThat(sink.commit()).containsEntry(tp, 5L);
        }
    }

    @Test
    void shouldWriteSchemalessMapsAndFailOnTombstonesWhenAsked() {
        String bucket = s3.createBucket("schemaless");
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(s3, bucket, "flush.size", "2", "behavior.on.null.values", "fail"), Set.of(orders0))) {
            sink.put(List.of(
                    TestRecords.record("orders", 0, 0, null, Map.of("id", 1, "ok", true), T0),
                    TestRecords.record("orders", 0, 1, null, Map.of("id", 2, "ok", false), T0)));
            List<JsonNode> rows = ObjectContents.jsonLines(
                    s3.readAll(bucket).values().iterator().next(), false);
            assertThat(rows).extracting(r -> r.get("id").asInt()).containsExactly(1, 2);

            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> sink.put(List.of(TestRecords.record("orders", 0, 2, null, null, T0))))
                    .hasMessageContaining("orders-0@2")
                    .hasMessageContaining("behavior.on.null.values=fail");
        }
    }
}
