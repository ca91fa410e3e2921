package io.sluice.connect.s3.format;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Maps a Connect value schema to a Parquet schema. Structs become groups (nested structs nested
 * groups), arrays 3-level {@code LIST}s, maps {@code MAP}s; {@code int8}/{@code int16} are
 * annotated {@code INT32}s, strings {@code STRING} binaries, {@code Decimal} a {@code DECIMAL}
 * binary (precision from Debezium's {@code connect.decimal.precision} parameter, else 38), {@code
 * Timestamp} {@code TIMESTAMP(MILLIS, UTC)}, {@code Date} {@code DATE}, {@code Time} {@code
 * TIME(MILLIS)}. Optional schemas are {@code OPTIONAL} fields, others {@code REQUIRED}. Stateless.
 */
final class ParquetSchemas {

    static final String DECIMAL_PRECISION = "connect.decimal.precision";

    private ParquetSchemas() {}

    static MessageType messageType(Schema valueSchema) {
        if (valueSchema == null || valueSchema.type() != Schema.Type.STRUCT) {
            throw new DataException("Parquet needs record values with a struct schema, got "
                    + (valueSchema == null ? "a schemaless value" : valueSchema.type())
                    + " (use a converter with schemas, e.g. JsonConverter with schemas.enable=true)");
        }
        GroupType group = (GroupType) toType("record", valueSchema, Repetition.REQUIRED);
        return new MessageType(
                valueSchema.name() == null ? "record" : valueSchema.name().replaceAll("[^A-Za-z0-9_]", "_"),
                group.getFields());
    }

    private static Type toType(String name, Schema schema, Repetition repetition) {
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            return Types.primitive(PrimitiveTypeName.BINARY, repetition)
                    .as(LogicalTypeAnnotation.decimalType(scale(schema), precision(schema)))
                    .named(name);
        }
        if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return Types.primitive(PrimitiveTypeName.INT64, repetition)
                    .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MILLIS))
                    .named(name);
        }
        if (org.apache.kafka.connect.data.Date.LOGICAL_NAME.equals(logical)) {
            return Types.primitive(PrimitiveTypeName.INT32, repetition)
                    .as(LogicalTypeAnnotation.dateType())
                    .named(name);
        }
        if (Time.LOGICAL_NAME.equals(logical)) {
            return Types.primitive(PrimitiveTypeName.INT32, repetition)
                    .as(LogicalTypeAnnotation.timeType(true, TimeUnit.MILLIS))
                    .named(name);
        }
        return switch (schema.type()) {
            case INT8 -> intType(name, repetition, 8);
            case INT16 -> intType(name, repetition, 16);
            case INT32 -> Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
            case INT64 -> Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
            case FLOAT32 -> Types.primitive(PrimitiveTypeName.FLOAT, repetition).named(name);
            case FLOAT64 ->
                Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
            case BOOLEAN ->
                Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
            case STRING ->
                Types.primitive(PrimitiveTypeName.BINARY, repetition)
                        .as(LogicalTypeAnnotation.stringType())
                        .named(name);
            case BYTES -> Types.primitive(PrimitiveTypeName.BINARY, repetition).named(name);
            case STRUCT -> structType(name, schema, repetition);
            case ARRAY ->
                Types.list(repetition)
                        .element(toType("element", schema.valueSchema(), repetitionOf(schema.valueSchema())))
                        .named(name);
            case MAP ->
                Types.map(repetition)
                        .key(toType("key", schema.keySchema(), Repetition.REQUIRED))
                        .value(toType("value", schema.valueSchema(), repetitionOf(schema.valueSchema())))
                        .named(name);
        };
    }

    private static Type structType(String name, Schema schema, Repetition repetition) {
        if (schema.fields().isEmpty()) {
            throw new DataException("Parquet cannot hold the empty struct " + name);
        }
        Types.GroupBuilder<GroupType> builder = Types.buildGroup(repetition);
        for (Field field : schema.fields()) {
            builder.addField(toType(field.name(), field.schema(), repetitionOf(field.schema())));
        }
        return builder.named(name);
    }

    private static Type intType(String name, Repetition repetition, int bits) {
        return Types.primitive(PrimitiveTypeName.INT32, repetition)
                .as(LogicalTypeAnnotation.intType(bits, true))
                .named(name);
    }

    private static Repetition repetitionOf(Schema schema) {
        return schema.isOptional() ? Repetition.OPTIONAL : Repetition.REQUIRED;
    }

    static int scale(Schema decimal) {
        return Integer.parseInt(decimal.parameters().get(Decimal.SCALE_FIELD));
    }

    private static int precision(Schema decimal) {
        String p = decimal.parameters() == null ? null : decimal.parameters().get(DECIMAL_PRECISION);
        return p == null ? 38 : Integer.parseInt(p);
    }
}
