package io.sluice.connect.s3.partition;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Folders by value fields: {@code <field>=<value>[/<field>=<value>...]}, as Confluent's {@code
 * FieldPartitioner}. Works on Struct values and on schemaless Map values; a missing or null field
 * gives {@code <field>=null}. A dotted name reaches into nested structs/maps ({@code after.region}
 * in a Debezium envelope).
 */
public record FieldPartitioner(List<String> fields) implements Partitioner {

    public FieldPartitioner {
        fields = List.copyOf(fields);
    }

    @Override
    public String encode(SinkRecord record, long timestamp) {
        StringBuilder path = new StringBuilder();
        for (String field : fields) {
            if (path.length() > 0) {
                path.append('/');
            }
            Object value = lookup(record.value(), field);
            if (value != null
                    && !(value instanceof CharSequence || value instanceof Number || value instanceof Boolean)) {
                throw new DataException("partition field " + field + " of " + record.topic() + "-"
                        + record.kafkaPartition() + "@" + record.kafkaOffset() + " is a "
                        + value.getClass().getSimpleName() + "; only strings, numbers and booleans can name a folder");
            }
            path.append(field).append('=').append(value);
        }
        return path.toString();
    }

    /** The value at a dotted path in a Struct or Map, null if any step is missing. */
    static Object lookup(Object value, String dottedPath) {
        Object current = value;
        for (String step : dottedPath.split("\\.")) {
            if (current instanceof Struct struct) {
                Field f = struct.schema().field(step);
                current = f == null ? null : struct.get(f);
            } else if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else {
                return null;
            }
        }
        return current;
    }
}
