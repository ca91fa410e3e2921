package io.sluice.connect.s3.partition;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** The value of {@code partitioner.class}: a short name or Confluent's class name. */
public enum PartitionerName {
    DEFAULT("default", "DefaultPartitioner"),
    FIELD("field", "FieldPartitioner"),
    TIME("time", "TimeBasedPartitioner"),
    HOURLY("hourly", "HourlyPartitioner"),
    DAILY("daily", "DailyPartitioner");

    private static final String CONFLUENT_PACKAGE = "io.confluent.connect.storage.partitioner.";

    private final String shortName;
    private final String confluentClass;

    PartitionerName(String shortName, String simpleClassName) {
        this.shortName = shortName;
        this.confluentClass = CONFLUENT_PACKAGE + simpleClassName;
    }

    /** Whether objects are grouped by record time (path.format, timezone and the extractor apply). */
    public boolean timeBased() {
        return this == TIME || this == HOURLY || this == DAILY;
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

    public static PartitionerName parse(String value) {
        PartitionerName found = find(value);
        if (found == null) {
            throw new ConfigException("partitioner.class", value, "must be one of " + accepted());
        }
        return found;
    }

    private static PartitionerName find(String value) {
        String v = value.trim();
        for (PartitionerName p : values()) {
            if (p.shortName.equals(v.toLowerCase(Locale.ROOT)) || p.confluentClass.equals(v)) {
                return p;
            }
        }
        return null;
    }

    private static String accepted() {
        return Arrays.stream(values())
                .map(p -> p.shortName + ", " + p.confluentClass)
                .collect(Collectors.joining(", "));
    }
}
