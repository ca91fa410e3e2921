package io.sluice.connect.s3.format;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/** Writes Connect structs as Parquet records of the schema {@link ParquetSchemas} derived. Not thread-safe. */
final class StructWriteSupport extends WriteSupport<Struct> {

    private static final long MS_PER_DAY = 86_400_000L;

    private final MessageType messageType;
    private RecordConsumer out;

    StructWriteSupport(MessageType messageType) {
        this.messageType = messageType;
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(messageType, new HashMap<>());
    }

    @Override
    public String getName() {
        return "sluice-connect";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(Struct record) {
        out.startMessage();
        writeFields(record);
        out.endMessage();
    }

    private void writeFields(Struct struct) {
        List<Field> fields = struct.schema().fields();
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            Object value = struct.get(field);
            if (value == null) {
                continue; // optional: absent; a required field cannot be null in a valid Struct
            }
            out.startField(field.name(), i);
            writeValue(field.schema(), value);
            out.endField(field.name(), i);
        }
    }

    private void writeValue(Schema schema, Object value) {
        String logical = schema.name();
        if (logical != null && writeLogical(logical, schema, value)) {
            return;
        }
        switch (schema.type()) {
            case INT8, INT16, INT32 -> out.addInteger(((Number) value).intValue());
            case INT64 -> out.addLong(((Number) value).longValue());
            case FLOAT32 -> out.addFloat(((Number) value).floatValue());
            case FLOAT64 -> out.addDouble(((Number) value).doubleValue());
            case BOOLEAN -> out.addBoolean((Boolean) value);
            case STRING -> out.addBinary(Binary.fromString(value.toString()));
            case BYTES -> out.addBinary(bytes(value));
            case STRUCT -> {
                out.startGroup();
                writeFields((Struct) value);
                out.endGroup();
            }
            case ARRAY -> writeList(schema.valueSchema(), (List<?>) value);
            case MAP -> writeMap(schema, (Map<?, ?>) value);
        }
    }

    private boolean writeLogical(String logical, Schema schema, Object value) {
        switch (logical) {
            case Decimal.LOGICAL_NAME -> {
                BigDecimal d = (BigDecimal) value;
                int scale = ParquetSchemas.scale(schema);
                if (d.scale() != scale) {
                    throw new DataException("decimal " + d + " does not have the schema's scale " + scale);
                }
                out.addBinary(Binary.fromConstantByteArray(d.unscaledValue().toByteArray()));
            }
            case Timestamp.LOGICAL_NAME -> out.addLong(((Date) value).getTime());
            case org.apache.kafka.connect.data.Date.LOGICAL_NAME ->
                out.addInteger((int) Math.floorDiv(((Date) value).getTime(), MS_PER_DAY));
            case Time.LOGICAL_NAME -> out.addInteger((int) Math.floorMod(((Date) value).getTime(), MS_PER_DAY));
            default -> {
                return false;
            }
        }
        return true;
    }

    private void writeList(Schema elementSchema, List<?> list) {
        out.startGroup();
        if (!list.isEmpty()) {
            out.startField("list", 0);
            for (Object element : list) {
                out.startGroup();
                if (element != null) {
                    out.startField("element", 0);
                    writeValue(elementSchema, element);
                    out.endField("element", 0);
                }
                out.endGroup();
            }
            out.endField("list", 0);
        }
        out.endGroup();
    }

    private void writeMap(Schema schema, Map<?, ?> map) {
        out.startGroup();
        if (!map.isEmpty()) {
            out.startField("key_value", 0);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.startGroup();
                out.startField("key", 0);
                writeValue(schema.keySchema(), e.getKey());
                out.endField("key", 0);
                if (e.getValue() != null) {
                    out.startField("value", 1);
                    writeValue(schema.valueSchema(), e.getValue());
                    out.endField("value", 1);
                }
                out.endGroup();
            }
            out.endField("key_value", 0);
        }
        out.endGroup();
    }

    private static Binary bytes(Object value) {
        if (value instanceof byte[] b) {
            return Binary.fromConstantByteArray(b);
        }
        return Binary.fromConstantByteBuffer(((ByteBuffer) value).duplicate());
    }
}
