package io.sluice.core.convert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Writes the {@code "payload"} JSON of Kafka's {@code JsonConverter} for a value with a schema
 * straight to a Jackson generator, without building a node tree, in the converter's format: numbers
 * as numbers, bytes as base64, {@code Decimal} as base64 of the unscaled value (or a number with
 * {@code decimal.format=NUMERIC}), {@code Date}/{@code Time}/{@code Timestamp} as days/millis,
 * structs as objects in field order, maps with string keys as objects and other maps as
 * {@code [[key, value], ...]}, nulls replaced by defaults unless {@code replace.null.with.default=false}.
 *
 * <p>Anything else, or anything the converter would reject, throws {@link Unsupported}: the caller
 * then falls back to {@code JsonConverter} itself, which gives its own answer or error. Not
 * thread-safe: one instance per converter.
 */
final class PayloadJsonWriter {

    /** This writer does not handle the value; use {@code JsonConverter}. */
    static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static final Unsupported UNSUPPORTED = new Unsupported();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String KAFKA_LOGICAL_PREFIX = "org.apache.kafka.connect.data.";

    private final boolean decimalAsNumber;
    private final boolean replaceNullWithDefault;
    /** Struct schemas already found equal to the declared schema they were written under. */
    private final Map<Schema, Schema> matched = new IdentityHashMap<>();

    PayloadJsonWriter(boolean decimalAsNumber, boolean replaceNullWithDefault) {
        this.decimalAsNumber = decimalAsNumber;
        this.replaceNullWithDefault = replaceNullWithDefault;
    }

    /** The payload's JSON bytes; throws {@link Unsupported} when the caller must use {@code JsonConverter}. */
    byte[] write(Schema schema, Object value) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(512);
                JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, schema, value);
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(JsonGenerator g, Schema schema, Object value) throws IOException {
        if (schema == null) {
            throw UNSUPPORTED;
        }
        if (value == null) {
            if (schema.defaultValue() != null && replaceNullWithDefault) {
                write(g, schema, schema.defaultValue());
            } else if (schema.isOptional()) {
                g.writeNull();
            } else {
                throw UNSUPPORTED;
            }
            return;
        }
        if (schema.name() != null && writeLogical(g, schema, value)) {
            return;
        }
        switch (schema.type()) {
            case INT8 -> g.writeNumber(((Byte) typed(value, Byte.class)).intValue());
            case INT16 -> g.writeNumber((short) typed(value, Short.class));
            case INT32 -> g.writeNumber((int) typed(value, Integer.class));
            case INT64 -> g.writeNumber((long) typed(value, Long.class));
            case FLOAT32 -> g.writeNumber((float) typed(value, Float.class));
            case FLOAT64 -> g.writeNumber((double) typed(value, Double.class));
            case BOOLEAN -> g.writeBoolean(typed(value, Boolean.class));
            case STRING -> writeString(g, typed(value, CharSequence.class).toString());
            case BYTES -> {
                if (value instanceof byte[] bytes) {
                    g.writeBinary(bytes);
                } else if (value instanceof ByteBuffer buffer && buffer.hasArray()) {
                    g.writeBinary(buffer.array());
                } else {
                    throw UNSUPPORTED;
                }
            }
            case ARRAY -> {
                g.writeStartArray();
                for (Object element : typed(value, Collection.class)) {
                    write(g, schema.valueSchema(), element);
                }
                g.writeEndArray();
            }
            case MAP -> writeMap(g, schema, typed(value, Map.class));
            case STRUCT -> writeStruct(g, schema, typed(value, Struct.class));
            default -> throw UNSUPPORTED;
        }
    }

    /**
     * A string with nothing to escape and only ASCII is copied as bytes (what Jackson would write
     * for it, without its per-character escaping loop); any other goes through Jackson.
     */
    private static void writeString(JsonGenerator g, String text) throws IOException {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                g.writeString(text);
                return;
            }
        }
        byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
        g.writeRawUTF8String(ascii, 0, ascii.length);
    }

    private boolean writeLogical(JsonGenerator g, Schema schema, Object value) throws IOException {
        String name = schema.name();
        if (!name.startsWith(KAFKA_LOGICAL_PREFIX)) {
            return false; // e.g. Debezium's own logical names, written as their base type
        }
        if (Decimal.LOGICAL_NAME.equals(name)) {
            BigDecimal decimal = typed(value, BigDecimal.class);
            if (decimalAsNumber) {
                g.writeNumber(decimal);
            } else {
                g.writeBinary(Decimal.fromLogical(schema, decimal));
            }
        } else if (Date.LOGICAL_NAME.equals(name)) {
            g.writeNumber(Date.fromLogical(schema, typed(value, java.util.Date.class)));
        } else if (Time.LOGICAL_NAME.equals(name)) {
            g.writeNumber(Time.fromLogical(schema, typed(value, java.util.Date.class)));
        } else if (Timestamp.LOGICAL_NAME.equals(name)) {
            g.writeNumber(Timestamp.fromLogical(schema, typed(value, java.util.Date.class)));
        } else {
            return false;
        }
        return true;
    }

    private void writeMap(JsonGenerator g, Schema schema, Map<?, ?> map) throws IOException {
        if (schema.keySchema().type() == Schema.Type.STRING) {
            if (schema.keySchema().name() != null) {
                throw UNSUPPORTED;
            }
            g.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof CharSequence key)) {
                    throw UNSUPPORTED;
                }
                g.writeFieldName(key.toString());
                write(g, schema.valueSchema(), entry.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeStartArray();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                g.writeStartArray();
                write(g, schema.keySchema(), entry.getKey());
                write(g, schema.valueSchema(), entry.getValue());
                g.writeEndArray();
            }
            g.writeEndArray();
        }
    }

    private void writeStruct(JsonGenerator g, Schema schema, Struct struct) throws IOException {
        Schema own = struct.schema();
        if (own != schema && matched.get(own) != schema) {
            if (!own.equals(schema)) {
                throw UNSUPPORTED;
            }
            if (own instanceof ConnectSchema && schema instanceof ConnectSchema) { // immutable: safe to remember
                if (matched.size() > 1000) {
                    matched.clear();
                }
                matched.put(own, schema);
            }
        }
        g.writeStartObject();
        for (Field field : schema.fields()) {
            g.writeFieldName(field.name());
            write(g, field.schema(), struct.getWithoutDefault(field.name()));
        }
        g.writeEndObject();
    }

    private static <T> T typed(Object value, Class<T> type) {
        if (!type.isInstance(value)) {
            throw UNSUPPORTED;
        }
        return type.cast(value);
    }
}
