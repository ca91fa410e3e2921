package io.sluice.core.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

class SchemaCachingJsonConverterTest {

    private static final Schema NESTED =
            SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct()
            .name("shop.public.orders.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field(
                    "amount",
                    Decimal.builder(2)
                            .parameter("connect.decimal.precision", "12")
                            .build())
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("at", Timestamp.SCHEMA)
            .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field(
                    "attrs",
                    SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA)
                            .optional()
                            .build())
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("flag", SchemaBuilder.bool().defaultValue(true).build())
            .field("small", Schema.OPTIONAL_INT8_SCHEMA)
            .field("short", Schema.OPTIONAL_INT16_SCHEMA)
            .field("ratio", Schema.OPTIONAL_FLOAT32_SCHEMA)
            .field("score", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field(
                    "day",
                    org.apache.kafka.connect.data.Date.builder().optional().build())
            .field(
                    "time",
                    org.apache.kafka.connect.data.Time.builder().optional().build())
            .field(
                    "pairs",
                    SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA)
                            .optional()
                            .build())
            .field(
                    "nested",
                    SchemaBuilder.array(SchemaBuilder.struct()
                                    .field("x", Schema.INT32_SCHEMA)
                                    .build())
                            .optional()
                            .build())
            .field("buffer", Schema.OPTIONAL_BYTES_SCHEMA)
            .optional()
            .build();
    private static final Schema ENVELOPE = SchemaBuilder.struct()
            .name("shop.public.orders.Envelope")
            .version(2)
            .field("before", ROW)
            .field("after", ROW)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    @Test
    void shouldWriteExactlyWhatJsonConverterWrites() {
        for (Map<String, String> settings : List.of(
                Map.<String, String>of(),
                Map.of("decimal.format", "NUMERIC"),
                Map.of("replace.null.with.default", "false"))) {
            JsonConverter plain = new JsonConverter();
            plain.configure(settings, false);
            JsonConverter wrapped = new JsonConverter();
            wrapped.configure(settings, false);
            assertThat(SchemaCachingJsonConverter.canWrap(wrapped, settings)).isTrue();
            SchemaCachingJsonConverter fast = new SchemaCachingJsonConverter(wrapped, settings, false);
            for (int i = 0; i < 3; i++) {
                Struct after = row(i);
                Struct event = new Struct(ENVELOPE)
                        .put("before", i == 0 ? null : row(i - 1))
                        .put("after", after)
                        .put("op", i == 0 ? "c" : "u")
                        .put("ts_ms", i == 2 ? null : 1_700_000_000_000L + i);
                byte[] expected;
                try {
                    expected = plain.fromConnectData("t", ENVELOPE, event);
                } catch (DataException rejected) {
                    assertThatThrownBy(() -> fast.fromConnectData("t", ENVELOPE, event))
                            .as("%s, event %d rejected alike", settings, i)
                            .isInstanceOf(DataException.class)
                            .hasMessage(rejected.getMessage());
                    continue;
                }
                assertThat(new String(fast.fromConnectData("t", ENVELOPE, event), StandardCharsets.UTF_8))
                        .as("%s, event %d", settings, i)
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
            }
            Struct wrongSchema = new Struct(SchemaBuilder.struct()
                            .field("id", Schema.INT64_SCHEMA)
                            .build())
                    .put("id", 1L);
            assertThatThrownBy(() -> fast.fromConnectData("t", ROW, wrongSchema))
                    .as("a struct under another schema is rejected as JsonConverter rejects it")
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("Mismatching schema");
            assertThat(fast.fromConnectData("t", Schema.STRING_SCHEMA, "plain"))
                    .isEqualTo(plain.fromConnectData("t", Schema.STRING_SCHEMA, "plain"));
            assertThat(fast.fromConnectData("t", ROW, null)).isEqualTo(plain.fromConnectData("t", ROW, null));
            assertThat(fast.fromConnectData("t", null, null)).isNull();
            assertThat(fast.fromConnectData("t", null, Map.of("a", 1)))
                    .isEqualTo(plain.fromConnectData("t", null, Map.of("a", 1)));
            assertThat(fast.toConnectData(
                            "t", plain.fromConnectData("t", ENVELOPE, new Struct(ENVELOPE).put("op", "d"))))
                    .isEqualTo(plain.toConnectData(
                            "t", plain.fromConnectData("t", ENVELOPE, new Struct(ENVELOPE).put("op", "d"))));
        }
    }

    @Test
    void shouldWritePayloadsItselfWithoutFallingBack() {
        JsonConverter payloadOnly = new JsonConverter();
        payloadOnly.configure(Map.of("schemas.enable", "false"), false);
        PayloadJsonWriter writer = new PayloadJsonWriter(false, true);
        for (int i = 0; i < 3; i++) {
            Struct event = new Struct(ENVELOPE).put("after", row(i)).put("op", "r");
            assertThat(new String(writer.write(ENVELOPE, event), StandardCharsets.UTF_8))
                    .isEqualTo(new String(payloadOnly.fromConnectData("t", ENVELOPE, event), StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldLeaveSchemalessJsonAlone() {
        JsonConverter converter = new JsonConverter();
        Map<String, String> settings = Map.of("schemas.enable", "false");
        converter.configure(settings, false);
        assertThat(SchemaCachingJsonConverter.canWrap(converter, settings)).isFalse();
    }

    private static Struct row(int i) {
        Struct row = new Struct(ROW);
        row.put("id", 1000L + i)
                .put("amount", new BigDecimal("12.3" + i))
                .put("note", i == 1 ? null : "naïve \"quoted\" ✓ " + i)
                .put("at", new java.util.Date(1_700_000_000_000L + i))
                .put("tags", List.of("a", "b" + i))
                .put("attrs", Map.of("k", i))
                .put("blob", new byte[] {1, 2, (byte) i})
                .put("small", (byte) -i)
                .put("short", (short) (300 + i))
                .put("ratio", 0.1f * i)
                .put("score", i == 2 ? 1e300 : 1.0 / 3 + i)
                .put("day", new java.util.Date(86_400_000L * (19_000 + i)))
                .put("time", new java.util.Date(3_600_000L + i))
                .put("pairs", i == 1 ? null : Map.of(i, "v" + i))
                .put("nested", List.of(new Struct(NESTED).put("x", i), new Struct(NESTED).put("x", -i)))
                .put("buffer", java.nio.ByteBuffer.wrap(new byte[] {9, (byte) i}));
        if (i != 2) {
            row.put("flag", i == 0); // row 2 leaves it unset: its default, or null without replace.null.with.default
        }
        if (i == 1) {
            row.put("amount", new BigDecimal("1.00E+3").setScale(2));
        }
        return row;
    }
}
