package io.sluice.connect.elasticsearch.document;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Index mappings from Connect schemas: numbers and booleans to their field types, strings to
 * {@code text} with a {@code keyword} sub-field, Timestamp/Date to {@code date}, Decimal to
 * {@code double}, structs to objects. Stateless.
 */
public final class Mappings {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Mappings() {}

    /** The body of a create-index request for a value schema: {@code {"mappings":{...}}}. */
    public static String createIndexBody(Schema valueSchema) {
        ObjectNode body = NODES.objectNode();
        body.set("mappings", objectMapping(valueSchema));
        return body.toString();
    }

    private static ObjectNode objectMapping(Schema struct) {
        ObjectNode mapping = NODES.objectNode();
        ObjectNode properties = mapping.putObject("properties");
        for (Field field : struct.fields()) {
            ObjectNode fieldMapping = field(field.schema());
            if (fieldMapping != null) {
                properties.set(field.name(), fieldMapping);
            }
        }
        return mapping;
    }

    /** A field's mapping, or null to leave the field to dynamic mapping. */
    static ObjectNode field(Schema schema) {
        String name = schema.name();
        if (Timestamp.LOGICAL_NAME.equals(name) || Date.LOGICAL_NAME.equals(name)) {
            return type("date");
        }
        if (Decimal.LOGICAL_NAME.equals(name)) {
            return type("double");
        }
        if (Time.LOGICAL_NAME.equals(name)) {
            return type("keyword");
        }
        return switch (schema.type()) {
            case INT8 -> type("byte");
            case INT16 -> type("short");
            case INT32 -> type("integer");
            case INT64 -> type("long");
            case FLOAT32 -> type("float");
            case FLOAT64 -> type("double");
            case BOOLEAN -> type("boolean");
            case BYTES -> type("binary");
            case STRING -> text();
            case STRUCT -> objectMapping(schema);
            case ARRAY -> field(schema.valueSchema());
            case MAP -> type("object");
        };
    }

    private static ObjectNode type(String type) {
        ObjectNode node = NODES.objectNode();
        node.put("type", type);
        return node;
    }

    private static ObjectNode text() {
        ObjectNode node = type("text");
        ObjectNode keyword = node.putObject("fields").putObject("keyword");
        keyword.put("type", "keyword");
        keyword.put("ignore_above", 256);
        return node;
    }
}
