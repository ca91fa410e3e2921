package io.sluice.connect.s3;

import static io.sluice.connect.s3.S3SinkConfig.ACCESS_KEY_ID;
import static io.sluice.connect.s3.S3SinkConfig.COMPRESSION;
import static io.sluice.connect.s3.S3SinkConfig.LOCALE;
import static io.sluice.connect.s3.S3SinkConfig.PARTITION_DURATION_MS;
import static io.sluice.connect.s3.S3SinkConfig.PARTITION_FIELDS;
import static io.sluice.connect.s3.S3SinkConfig.PATH_FORMAT;
import static io.sluice.connect.s3.S3SinkConfig.SECRET_ACCESS_KEY;
import static io.sluice.connect.s3.S3SinkConfig.STORE_URL;
import static io.sluice.connect.s3.S3SinkConfig.TIMESTAMP_FIELD;
import static io.sluice.connect.s3.S3SinkConfig.TIMEZONE;

import io.sluice.connect.s3.format.FormatName;
import io.sluice.connect.s3.partition.PartitionerName;
import io.sluice.connect.s3.partition.PathFormat;
import io.sluice.connect.s3.partition.TimestampExtractorName;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Checks between settings that a single field's validator cannot see (a partitioner needing its
 * fields, a time zone, credentials in pairs). Each error names the field it belongs to, so the
 * validate endpoint can show it beside that field. Stateless.
 */
final class S3SinkConfigChecks {

    private S3SinkConfigChecks() {}

    /** Errors by field name, in declaration order; empty when the settings fit together. */
    static Map<String, List<String>> check(S3SinkConfig config) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        checkStore(config, errors);
        checkFormat(config, errors);
        checkPartitioner(config, errors);
        return errors;
    }

    /** Parses and checks everything, throwing one exception that lists every error. */
    static S3SinkConfig parse(Map<String, String> props) {
        S3SinkConfig config = new S3SinkConfig(props);
        Map<String, List<String>> errors = check(config);
        if (!errors.isEmpty()) {
            List<String> lines = new ArrayList<>();
            errors.forEach((field, messages) -> messages.forEach(m -> lines.add(field + ": " + m)));
            throw new ConfigException("Invalid S3 sink configuration: " + String.join("; ", lines));
        }
        return config;
    }

    private static void checkStore(S3SinkConfig config, Map<String, List<String>> errors) {
        String url = config.storeUrl();
        if (!url.isBlank()) {
            try {
                URI uri = URI.create(url.trim());
                if (uri.getScheme() == null || uri.getHost() == null) {
                    add(errors, STORE_URL, "must be an absolute URL such as http://minio:9000");
                }
            } catch (IllegalArgumentException e) {
                add(errors, STORE_URL, "is not a URL: " + e.getMessage());
            }
        }
        boolean id = !config.accessKeyId().isBlank();
        boolean secret = !config.secretAccessKey().value().isEmpty();
        if (id && !secret) {
            add(errors, SECRET_ACCESS_KEY, "is required when " + ACCESS_KEY_ID + " is set");
        }
        if (secret && !id) {
            add(errors, ACCESS_KEY_ID, "is required when " + SECRET_ACCESS_KEY + " is set");
        }
    }

    private static void checkFormat(S3SinkConfig config, Map<String, List<String>> errors) {
        if (config.format() == FormatName.PARQUET && config.gzip()) {
            add(errors, COMPRESSION, "applies to JSON only; Parquet compresses with parquet.codec");
        }
    }

    private static void checkPartitioner(S3SinkConfig config, Map<String, List<String>> errors) {
        PartitionerName partitioner = config.partitioner();
        if (partitioner == PartitionerName.FIELD && config.partitionFields().isEmpty()) {
            add(errors, PARTITION_FIELDS, "is required by the field partitioner");
        }
        if (partitioner == PartitionerName.TIME) {
            if (config.pathFormat().isBlank()) {
                add(errors, PATH_FORMAT, "is required by the time partitioner");
            }
            if (config.partitionDurationMs() <= 0) {
                add(errors, PARTITION_DURATION_MS, "must be positive for the time partitioner");
            }
        }
        if (!config.pathFormat().isBlank()) {
            try {
                PathFormat.formatter(config.pathFormat(), Locale.ROOT);
            } catch (IllegalArgumentException e) {
                add(errors, PATH_FORMAT, "is not a valid pattern: " + e.getMessage());
            }
        }
        boolean zoned = partitioner.timeBased() || config.rotateScheduleIntervalMs() > 0;
        if (zoned && config.timezone().isBlank()) {
            add(errors, TIMEZONE, "is required by time partitioners and rotate.schedule.interval.ms");
        }
        if (!config.timezone().isBlank()) {
            try {
                ZoneId.of(config.timezone().trim());
            } catch (DateTimeException e) {
                add(errors, TIMEZONE, "is not a time zone: " + e.getMessage());
            }
        }
        if (!config.locale().isBlank()
                && Locale.forLanguageTag(config.locale().replace('_', '-'))
                        .toLanguageTag()
                        .equals("und")) {
            add(errors, LOCALE, "is not a locale tag such as en-US");
        }
        if (config.timestampExtractor() == TimestampExtractorName.RECORD_FIELD
                && config.timestampField().isBlank()) {
            add(errors, TIMESTAMP_FIELD, "is required by the RecordField extractor");
        }
    }

    private static void add(Map<String, List<String>> errors, String field, String message) {
        errors.computeIfAbsent(field, f -> new ArrayList<>()).add(message);
    }
}
