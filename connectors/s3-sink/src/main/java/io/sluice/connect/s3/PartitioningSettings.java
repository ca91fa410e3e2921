package io.sluice.connect.s3;

import static io.sluice.connect.s3.S3SinkConfig.*;

import io.sluice.connect.s3.partition.PartitionerName;
import io.sluice.connect.s3.partition.TimestampExtractorName;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** The partitioner and rotation settings of {@link S3SinkConfig}, declared once as ConfigDef entries. */
final class PartitioningSettings {

    private PartitioningSettings() {}

    static void definePartitioner(ConfigDef def) {
        int order = 0;
        def.define(
                        PARTITIONER,
                        Type.STRING,
                        "default",
                        PartitionerName.VALIDATOR,
                        Importance.HIGH,
                        "How objects are grouped in folders: default (partition=<p>), field, time, hourly or"
                                + " daily; Confluent's io.confluent.connect.storage.partitioner.* class names are"
                                + " accepted.",
                        GROUP_PARTITIONER,
                        ++order,
                        Width.LONG,
                        "Partitioner")
                .define(
                        PARTITION_FIELDS,
                        Type.LIST,
                        "",
                        Importance.MEDIUM,
                        "Value fields the field partitioner uses, in order (<field>=<value>/...).",
                        GROUP_PARTITIONER,
                        ++order,
                        Width.LONG,
                        "Partition fields")
                .define(
                        PATH_FORMAT,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "Folder pattern of the time partitioner, Joda/Confluent style, e.g."
                                + " 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH.",
                        GROUP_PARTITIONER,
                        ++order,
                        Width.LONG,
                        "Path format")
                .define(
                        PARTITION_DURATION_MS,
                        Type.LONG,
                        -1L,
                        Importance.MEDIUM,
                        "Length of one time partition in ms (time partitioner).",
                        GROUP_PARTITIONER,
                        ++order,
                        Width.SHORT,
                        "Partition duration (ms)")
                .define(
                        TIMESTAMP_EXTRACTOR,
                        Type.STRING,
                        "Wallclock",
                        TimestampExtractorName.VALIDATOR,
                        Importance.MEDIUM,
                        "Where a record's time comes from, for time partitions and rotate.interval.ms: Record"
                                + " (the record's timestamp), RecordField (timestamp.field of the value) or"
                                + " Wallclock (the time of writing: not repeatable after a crash).",
                        GROUP_PARTITIONER,
                        ++order,
                        Width.SHORT,
                        "Timestamp extractor")
                .define(
                        TIMESTAMP_FIELD,
                        Type.STRING,
                        "timestamp",
                        Importance.MEDIUM,
                        "Value field holding the time for the RecordField extractor (epoch ms, a Connect"
                                + " Timestamp or an ISO-8601 string); dots reach into nested structs.",
                        GROUP_PARTITIONER,
                        ++order,
                        Width.MEDIUM,
                        "Timestamp field")
                .define(
                        LOCALE,
                        Type.STRING,
                        "",
                        Importance.LOW,
                        "Locale of path.format (e.g. en-US). Empty: root locale.",
                        GROUP_PARTITIONER,
                        ++order,
                        Width.SHORT,
                        "Locale")
                .define(
                        TIMEZONE,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "Time zone of path.format and of scheduled rotation, e.g. UTC or Europe/Paris; required"
                                + " by the time partitioners.",
                        GROUP_PARTITIONER,
                        ++order,
                        Width.SHORT,
                        "Time zone");
    }

    static void defineRotation(ConfigDef def) {
        int order = 0;
        def.define(
                        FLUSH_SIZE,
                        Type.INT,
                        ConfigDef.NO_DEFAULT_VALUE,
                        Range.atLeast(1),
                        Importance.HIGH,
                        "Records per topic partition after which its open objects are uploaded.",
                        GROUP_ROTATION,
                        ++order,
                        Width.SHORT,
                        "Flush size")
                .define(
                        ROTATE_INTERVAL_MS,
                        Type.LONG,
                        -1L,
                        Importance.MEDIUM,
                        "Upload a topic partition's objects when a record's time (timestamp.extractor) is this"
                                + " far past the first record's; -1: off.",
                        GROUP_ROTATION,
                        ++order,
                        Width.SHORT,
                        "Rotate interval (ms)")
                .define(
                        ROTATE_SCHEDULE_INTERVAL_MS,
                        Type.LONG,
                        -1L,
                        Importance.MEDIUM,
                        "Upload open objects at wall-clock boundaries of this length (in timezone) even if no"
                                + " more records come; -1: off. Not repeatable after a crash.",
                        GROUP_ROTATION,
                        ++order,
                        Width.SHORT,
                        "Scheduled rotation (ms)");
    }
}
