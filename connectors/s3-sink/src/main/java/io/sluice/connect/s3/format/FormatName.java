package io.sluice.connect.s3.format;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** The value of {@code format.class}: a short name or Confluent's class name. */
public enum FormatName {
    JSON("json", "io.confluent.connect.s3.format.json.JsonFormat"),
    PARQUET("parquet", "io.confluent.connect.s3.format.parquet.ParquetFormat");

    private final String shortName;
    private final String confluentClass;

    FormatName(String shortName, String confluentClass) {
        this.shortName = shortName;
        this.confluentClass = confluentClass;
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

    public static FormatName parse(String value) {
        FormatName found = find(value);
        if (found == null) {
            throw new ConfigException("format.class", value, "must be one of " + accepted());
        }
        return found;
    }

    private static FormatName find(String value) {
        String v = value.trim();
        for (FormatName f : values()) {
            if (f.shortName.equals(v.toLowerCase(Locale.ROOT)) || f.confluentClass.equals(v)) {
                return f;
            }
        }
        return null;
    }

    private static String accepted() {
        return Arrays.stream(values())
                .map(f -> f.shortName + ", " + f.confluentClass)
                .collect(Collectors.joining(", "));
    }
}
