package io.sluice.connect.s3;

import static io.sluice.connect.s3.TestRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.S3Fixture;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;

class ParquetFormatIT {

    private final S3Fixture s3 = SinkHarness.s3();

    @Test
    void shouldWriteParquetThatParquetJavaReadsBackWithTypesAndValues() {
        String bucket = s3.createBucket("parquet");
        TopicPartition tp = new TopicPartition("orders", 0);
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        "100",
                        "format.class",
                        "io.confluent.connect.s3.format.parquet.ParquetFormat"),
                Set.of(tp))) {
            sink.put(TestRecords.orders("orders", 0, 0, 100));

            Map<String, byte[]> objects = s3.readAll(bucket);
            assertThat(objects).containsOnlyKeys("topics/orders/partition=0/orders+0+0000000000.snappy.parquet");
            ObjectContents.ParquetFile file =
                    ObjectContents.parquet(objects.values().iterator().next());
            MessageType schema = file.schema();
            assertThat(schema.getType("id").asPrimitiveType().getPrimitiveTypeName())
                    .isEqualTo(PrimitiveTypeName.INT64);
            assertThat(schema.getType("customer").getLogicalTypeAnnotation())
                    .isEqualTo(LogicalTypeAnnotation.stringType());
            assertThat(schema.getType("tiny").getLogicalTypeAnnotation())
                    .isEqualTo(LogicalTypeAnnotation.intType(8, true));
            assertThat(schema.getType("price").getLogicalTypeAnnotation())
                    .isEqualTo(LogicalTypeAnnotation.decimalType(2, 10));
            assertThat(schema.getType("created").getLogicalTypeAnnotation())
                    .isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS));
            assertThat(schema.getType("tags").getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.listType());
            assertThat(schema.getType("note").isRepetition(org.apache.parquet.schema.Type.Repetition.OPTIONAL))
                    .isTrue();

            assertThat(file.rows()).hasSize(100);
            Group row = file.rows().get(7);
            assertThat(row.getLong("id", 0)).isEqualTo(7);
            assertThat(row.getString("customer", 0)).isEqualTo("customer-7 \"quoted\" ü");
            assertThat(row.getString("region", 0)).isEqualTo("us");
            assertThat(row.getInteger("quantity", 0)).isEqualTo(0);
            assertThat(row.getInteger("small", 0)).isEqualTo(7);
            assertThat(row.getBoolean("paid", 0)).isFalse();
            assertThat(row.getDouble("weight", 0)).isEqualTo(3.5);
            assertThat(row.getFloat("ratio", 0)).isEqualTo(0.25f);
            assertThat(new BigDecimal(new BigInteger(row.getBinary("price", 0).getBytes()), 2))
                    .isEqualByComparingTo("10.07");
            assertThat(row.getLong("created", 0)).isEqualTo(T0 + 7000);
            assertThat(row.getString("note", 0)).isEqualTo("note 7");
            assertThat(row.getGroup("tags", 0).getGroup("list", 1).getString("element", 0))
                    .isEqualTo("b7");
            assertThat(row.getGroup("attrs", 0).getGroup("key_value", 0).getString("key", 0))
                    .isEqualTo("k");
            assertThat(row.getGroup("attrs", 0).getGroup("key_value", 0).getInteger("value", 0))
                    .isEqualTo(7);
            assertThat(row.getBinary("blob", 0).getBytes()).containsExactly(1, 2, 7);
            assertThat(file.rows().get(5).getFieldRepetitionCount("note")).isZero();
        }
    }

    @Test
    void shouldWriteDebeziumEnvelopesAsNestedGroupsWithZstd() {
        String bucket = s3.createBucket("parquet-cdc");
        TopicPartition tp = new TopicPartition("shop.orders", 2);
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(s3, bucket, "flush.size", "3", "format.class", "parquet", "parquet.codec", "zstd"),
                Set.of(tp))) {
            List<SinkRecord> records = new ArrayList<>();
            String[] ops = {"c", "u", "d"};
            for (int i = 0; i < 3; i++) {
                records.add(TestRecords.record(
                        "shop.orders", 2, 40 + i, TestRecords.ENVELOPE, TestRecords.envelope(9, ops[i]), T0));
            }
            sink.put(records);

            Map<String, byte[]> objects = s3.readAll(bucket);
            assertThat(objects)
                    .containsOnlyKeys("topics/shop.orders/partition=2/shop.orders+2+0000000040.zstd.parquet");
            ObjectContents.ParquetFile file =
                    ObjectContents.parquet(objects.values().iterator().next());
            assertThat(file.schema().getType("after").isPrimitive()).isFalse();
            List<Group> rows = file.rows();
            assertThat(rows).extracting(r -> r.getString("op", 0)).containsExactly("c", "u", "d");
            assertThat(rows.get(0).getFieldRepetitionCount("before")).isZero();
            assertThat(rows.get(0).getGroup("after", 0).getString("customer", 0))
                    .isEqualTo("c9");
            assertThat(rows.get(2).getFieldRepetitionCount("after")).isZero();
            assertThat(rows.get(2).getGroup("before", 0).getLong("id", 0)).isEqualTo(9);
            assertThat(rows.get(1).getGroup("source", 0).getLong("lsn", 0)).isEqualTo(1009);
            assertThat(sink.commit()).containsEntry(tp, 43L);
        }
    }

    @Test
    void shouldStartANewObjectWhenTheSchemaChanges() {
        String bucket = s3.createBucket("parquet-schema");
        TopicPartition tp = new TopicPartition("orders", 0);
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(s3, bucket, "flush.size", "4", "format.class", "parquet"), Set.of(tp))) {
            List<SinkRecord> records = new ArrayList<>(TestRecords.orders("orders", 0, 0, 2));
            records.add(TestRecords.record("orders", 0, 2, TestRecords.ENVELOPE, TestRecords.envelope(2, "c"), T0));
            records.add(TestRecords.record("orders", 0, 3, TestRecords.ENVELOPE, TestRecords.envelope(3, "c"), T0));
            sink.put(records);
            sink.put(TestRecords.orders("orders", 0, 4, 6));

            assertThat(s3.keys(bucket))
                    .containsExactly(
                            "topics/orders/partition=0/orders+0+0000000000.snappy.parquet",
                            "topics/orders/partition=0/orders+0+0000000002.snappy.parquet");
            assertThat(sink.commit()).containsEntry(tp, 4L);
        }
    }
}
