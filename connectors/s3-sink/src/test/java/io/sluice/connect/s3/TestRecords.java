package io.sluice.connect.s3;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;

/** Records for the tests: a flat order row, a Debezium change envelope around it, tombstones. */
final class TestRecords {

    static final Schema ORDER = SchemaBuilder.struct()
            .name("shop.orders.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field("customer", Schema.STRING_SCHEMA)
            .field("region", Schema.STRING_SCHEMA)
            .field("quantity", Schema.INT32_SCHEMA)
            .field("small", Schema.INT16_SCHEMA)
            .field("tiny", Schema.INT8_SCHEMA)
            .field("paid", Schema.BOOLEAN_SCHEMA)
            .field("weight", Schema.FLOAT64_SCHEMA)
            .field("ratio", Schema.FLOAT32_SCHEMA)
            .field(
                    "price",
                    Decimal.builder(2)
                            .parameter("connect.decimal.precision", "10")
                            .build())
            .field("created", Timestamp.SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field(
                    "attrs",
                    SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA)
                            .optional()
                            .build())
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .build();

    static final Schema OPTIONAL_ORDER = SchemaBuilder.struct()
            .name("shop.orders.Value")
            .optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("customer", Schema.STRING_SCHEMA)
            .field("region", Schema.STRING_SCHEMA)
            .build();

    static final Schema SOURCE = SchemaBuilder.struct()
            .name("io.debezium.connector.postgresql.Source")
            .field("db", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    static final Schema ENVELOPE = SchemaBuilder.struct()
            .name("shop.orders.Envelope")
            .field("before", OPTIONAL_ORDER)
            .field("after", OPTIONAL_ORDER)
            .field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    /** Base time of record timestamps: 2024-05-06T07:00:00Z. */
    static final long T0 = 1_714_978_800_000L;

    private TestRecords() {}

    static Struct order(long id) {
        return new Struct(ORDER)
                .put("id", id)
                .put("customer", "customer-" + id + " \"quoted\" ü")
                .put("region", id % 2 == 0 ? "eu" : "us")
                .put("quantity", (int) (id % 7))
                .put("small", (short) (id % 300))
                .put("tiny", (byte) (id % 100))
                .put("paid", id % 3 == 0)
                .put("weight", id * 0.5)
                .put("ratio", 0.25f)
                .put("price", new BigDecimal(id).movePointLeft(2).add(new BigDecimal("10.00")))
                .put("created", new Date(T0 + id * 1000))
                .put("note", id % 5 == 0 ? null : "note " + id)
                .put("tags", List.of("a", "b" + id))
                .put("attrs", Map.of("k", (int) id))
                .put("blob", new byte[] {1, 2, (byte) id});
    }

    /** A Debezium change event: c (create), u (update) or d (delete, no after). */
    static Struct envelope(long id, String op) {
        Struct row = new Struct(OPTIONAL_ORDER)
                .put("id", id)
                .put("customer", "c" + id)
                .put("region", "eu");
        Struct source =
                new Struct(SOURCE).put("db", "shop").put("table", "orders").put("lsn", 1000 + id);
        return new Struct(ENVELOPE)
                .put("before", op.equals("c") ? null : row)
                .put("after", op.equals("d") ? null : row)
                .put("source", source)
                .put("op", op)
                .put("ts_ms", T0 + id);
    }

    static SinkRecord record(String topic, int partition, long offset, Schema schema, Object value, long timestamp) {
        return new SinkRecord(
                topic,
                partition,
                Schema.INT64_SCHEMA,
                offset,
                schema,
                value,
                offset,
                timestamp,
                TimestampType.CREATE_TIME);
    }

    /** Orders {@code from} (inclusive) to {@code to} (exclusive); offset = id; one second apart. */
    static List<SinkRecord> orders(String topic, int partition, long from, long to) {
        List<SinkRecord> records = new ArrayList<>();
        for (long i = from; i < to; i++) {
            records.add(record(topic, partition, i, ORDER, order(i), T0 + i * 1000));
        }
        return records;
    }
}
