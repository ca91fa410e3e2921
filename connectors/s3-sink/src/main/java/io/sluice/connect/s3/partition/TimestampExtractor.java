package io.sluice.connect.s3.partition;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A record's time for time partitions and {@code rotate.interval.ms}, as Confluent's {@code
 * timestamp.extractor}. {@code Record} and {@code RecordField} give the same time for the same
 * record on every run; {@code Wallclock} does not. Thread-safe.
 */
@FunctionalInterface
public interface TimestampExtractor {

    /** Epoch milliseconds. @throws DataException if the record has no usable time */
    long extract(SinkRecord record);

    static TimestampExtractor of(TimestampExtractorName name, String field, Clock clock) {
        return switch (name) {
            case RECORD -> TimestampExtractor::recordTimestamp;
            case RECORD_FIELD -> r -> fieldTimestamp(r, field);
            case WALLCLOCK -> r -> clock.millis();
        };
    }

    private static long recordTimestamp(SinkRecord record) {
        Long ts = record.timestamp();
        if (ts == null) {
            throw new DataException("record " + where(record) + " has no timestamp (timestamp.extractor=Record)");
        }
        return ts;
    }

    private static long fieldTimestamp(SinkRecord record, String field) {
        Object value = FieldPartitioner.lookup(record.value(), field);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof Date d) {
            return d.getTime();
        }
        if (value instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(s).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    throw new DataException(
                            "timestamp field " + field + " of " + where(record) + " is not an ISO-8601 time: " + s);
                }
            }
        }
        throw new DataException("timestamp field " + field + " of " + where(record)
                + (value == null
                        ? " is missing or null"
                        : " is a " + value.getClass().getSimpleName()));
    }

    private static String where(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
}
