package io.sluice.connect.s3.partition;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The value of {@code timestamp.extractor}: {@code Record}, {@code RecordField} or {@code
 * Wallclock}, or Confluent's nested class names ({@code
 * io.confluent.connect.storage.partitioner.TimeBasedPartitioner$Record}, ...).
 */
public enum TimestampExtractorName {
    RECORD("Record"),
    RECORD_FIELD("RecordField"),
    WALLCLOCK("Wallclock");

    private static final String CONFLUENT_PREFIX = "io.confluent.connect.storage.partitioner.TimeBasedPartitioner$";

    private final String shortName;

    TimestampExtractorName(String shortName) {
        this.shortName = shortName;
    }

    /** Whether the same record always gets the same time (false for the wall clock). */
    public boolean repeatable() {
        return this != WALLCLOCK;
    }

    public static final ConfigDef.Validator VALIDATOR = new ConfigDef.Validator() {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || find((String) value) == null) {
                throw new ConfigException(name, value, "must be one of " + accepted());
            }
        }

        @Override
        public String toString() {
            return accepted();
        }
    };

    public static TimestampExtractorName parse(String value) {
        TimestampExtractorName found = find(value);
        if (found == null) {
            throw new ConfigException("timestamp.extractor", value, "must be one of " + accepted());
        }
        return found;
    }

    private static TimestampExtractorName find(String value) {
        String v = value.trim();
        for (TimestampExtractorName t : values()) {
            if (t.shortName.equalsIgnoreCase(v) || (CONFLUENT_PREFIX + t.shortName).equals(v)) {
                return t;
            }
        }
        return null;
    }

    private static String accepted() {
        return Arrays.stream(values()).map(t -> t.shortName).collect(Collectors.joining(", "));
    }
}
