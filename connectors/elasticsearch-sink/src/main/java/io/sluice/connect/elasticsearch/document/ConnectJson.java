package io.sluice.connect.elasticsearch.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.errors.DataException;

/**
 * Connect values (Structs with schemas, or schemaless Maps, Lists and primitives) as Jackson trees.
 * Timestamps and dates become epoch milliseconds (what a {@code date} field accepts by default),
 * Decimals exact numbers, bytes base64. Stateless and thread-safe.
 */
public final class ConnectJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConnectJson() {}

    public static JsonNode toJson(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Struct struct) {
            ObjectNode node = NODES.objectNode();
            for (Field field : struct.schema().fields()) {
                node.set(field.name(), logical(field.schema(), struct.get(field)));
            }
            return node;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), toJson(v)));
            return node;
        }
        if (value instanceof Collection<?> list) {
            ArrayNode node = NODES.arrayNode();
            list.forEach(v -> node.add(toJson(v)));
            return node;
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
            return NODES.numberNode(((Number) value).intValue());
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Date d) {
            return NODES.numberNode(d.getTime());
        }
        if (value instanceof byte[] bytes) {
            return NODES.binaryNode(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return NODES.binaryNode(bytes);
        }
        throw new DataException("Cannot convert " + value.getClass().getName() + " to JSON");
    }

    private static JsonNode logical(Schema schema, Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (Time.LOGICAL_NAME.equals(schema.name()) && value instanceof Date time) {
            return NODES.textNode(
                    java.time.LocalTime.ofNanoOfDay(time.getTime() * 1_000_000L).toString());
        }
        if (Decimal.LOGICAL_NAME.equals(schema.name()) && value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (schema.type() == Schema.Type.ARRAY && value instanceof Collection<?> list) {
            ArrayNode node = NODES.arrayNode();
            list.forEach(v -> node.add(logical(schema.valueSchema(), v)));
            return node;
        }
        if (schema.type() == Schema.Type.MAP && value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), logical(schema.valueSchema(), v)));
            return node;
        }
        return toJson(value);
    }

    /** Parses a JSON string value (a record whose value is JSON text rather than a Map). */
    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new DataException("Value is a string that is not a JSON object", e);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new DataException("Cannot serialize document", e);
        }
    }
}
