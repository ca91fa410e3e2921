package io.sluice.connect.s3;

import io.sluice.connect.s3.format.FormatName;
import io.sluice.connect.s3.partition.PartitionerName;
import io.sluice.connect.s3.partition.TimestampExtractorName;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.types.Password;

/**
 * The S3 sink's settings, declared once as a {@link ConfigDef} (what the hub's validate endpoint
 * and UI forms serve) and read back typed. Names follow Confluent's S3 sink where the feature
 * exists there, so existing connector JSON works. Settings that depend on each other are checked
 * by {@link S3SinkConfigChecks}. Immutable.
 */
public final class S3SinkConfig extends AbstractConfig {

    public static final String BUCKET = "s3.bucket.name";
    public static final String REGION = "s3.region";
    public static final String STORE_URL = "store.url";
    public static final String PATH_STYLE = "s3.path.style.access.enabled";
    public static final String ACCESS_KEY_ID = "aws.access.key.id";
    public static final String SECRET_ACCESS_KEY = "aws.secret.access.key";
    public static final String PART_SIZE = "s3.part.size";
    public static final String PART_RETRIES = "s3.part.retries";
    public static final String RETRY_BACKOFF_MS = "s3.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "s3.retry.backoff.max.ms";
    public static final String BUFFER_MAX_BYTES = "s3.buffer.max.bytes";

    public static final String TOPICS_DIR = "topics.dir";
    public static final String FORMAT = "format.class";
    public static final String COMPRESSION = "s3.compression.type";
    public static final String PARQUET_CODEC = "parquet.codec";
    public static final String NULL_VALUES = "behavior.on.null.values";

    public static final String PARTITIONER = "partitioner.class";
    public static final String PARTITION_FIELDS = "partition.field.name";
    public static final String PATH_FORMAT = "path.format";
    public static final String PARTITION_DURATION_MS = "partition.duration.ms";
    public static final String TIMESTAMP_EXTRACTOR = "timestamp.extractor";
    public static final String TIMESTAMP_FIELD = "timestamp.field";
    public static final String LOCALE = "locale";
    public static final String TIMEZONE = "timezone";

    public static final String FLUSH_SIZE = "flush.size";
    public static final String ROTATE_INTERVAL_MS = "rotate.interval.ms";
    public static final String ROTATE_SCHEDULE_INTERVAL_MS = "rotate.schedule.interval.ms";

    static final String GROUP_S3 = "S3";
    static final String GROUP_FORMAT = "Format";
    static final String GROUP_PARTITIONER = "Partitioner";
    static final String GROUP_ROTATION = "Rotation";

    static final int MIB = 1024 * 1024;

    public static final ConfigDef CONFIG_DEF = define();

    public S3SinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false);
    }

    private static ConfigDef define() {
        ConfigDef def = new ConfigDef();
        defineS3(def);
        defineFormat(def);
        PartitioningSettings.definePartitioner(def);
        PartitioningSettings.defineRotation(def);
        return def;
    }

    private static void defineS3(ConfigDef def) {
        int order = 0;
        def.define(
                        BUCKET,
                        Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        Importance.HIGH,
                        "The bucket objects are written to.",
                        GROUP_S3,
                        ++order,
                        Width.LONG,
                        "Bucket")
                .define(
                        REGION,
                        Type.STRING,
                        "us-west-2",
                        Importance.MEDIUM,
                        "The bucket's AWS region (any value an S3-compatible store accepts when store.url is set).",
                        GROUP_S3,
                        ++order,
                        Width.SHORT,
                        "Region")
                .define(
                        STORE_URL,
                        Type.STRING,
                        "",
                        Importance.MEDIUM,
                        "Endpoint of an S3-compatible store (MinIO, Ceph, ...), e.g. http://minio:9000. Empty: AWS.",
                        GROUP_S3,
                        ++order,
                        Width.LONG,
                        "Store URL")
                .define(
                        PATH_STYLE,
                        Type.BOOLEAN,
                        true,
                        Importance.LOW,
                        "Path-style requests (http://host/bucket/key) rather than virtual-host style; most"
                                + " S3-compatible stores need this.",
                        GROUP_S3,
                        ++order,
                        Width.SHORT,
                        "Path-style access")
                .define(
                        ACCESS_KEY_ID,
                        Type.STRING,
                        "",
                        Importance.HIGH,
                        "Access key id. Empty: the default AWS credentials chain (environment, profile, instance role).",
                        GROUP_S3,
                        ++order,
                        Width.MEDIUM,
                        "Access key id")
                .define(
                        SECRET_ACCESS_KEY,
                        Type.PASSWORD,
                        "",
                        Importance.HIGH,
                        "Secret access key, with aws.access.key.id.",
                        GROUP_S3,
                        ++order,
                        Width.MEDIUM,
                        "Secret access key")
                .define(
                        PART_SIZE,
                        Type.INT,
                        25 * MIB,
                        Range.between(5 * MIB, Integer.MAX_VALUE),
                        Importance.LOW,
                        "Objects up to this size are uploaded with one PUT, larger ones as a multipart upload in"
                                + " parts of this size.",
                        GROUP_S3,
                        ++order,
                        Width.SHORT,
                        "Part size")
                .define(
                        PART_RETRIES,
                        Type.INT,
                        3,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Retries of each S3 request by the AWS SDK (throttling, 5xx, connection errors) before an"
                                + " upload counts as failed.",
                        GROUP_S3,
                        ++order,
                        Width.SHORT,
                        "Request retries")
                .define(
                        RETRY_BACKOFF_MS,
                        Type.LONG,
                        200L,
                        Range.atLeast(1),
                        Importance.LOW,
                        "First backoff between retries, doubled on each further failure (SDK requests and whole"
                                + " uploads).",
                        GROUP_S3,
                        ++order,
                        Width.SHORT,
                        "Retry backoff (ms)")
                .define(
                        RETRY_BACKOFF_MAX_MS,
                        Type.LONG,
                        10_000L,
                        Range.atLeast(1),
                        Importance.LOW,
                        "Longest wait between attempts of an upload that keeps failing. While an upload waits,"
                                + " the task stops taking records.",
                        GROUP_S3,
                        ++order,
                        Width.SHORT,
                        "Max retry backoff (ms)")
                .define(
                        BUFFER_MAX_BYTES,
                        Type.LONG,
                        256L * MIB,
                        Range.atLeast(MIB),
                        Importance.MEDIUM,
                        "Cap on the memory one task holds in files not yet uploaded, across all its partitions."
                                + " Reaching it uploads the largest partition's files early (which gives up the"
                                + " exactly-once promise for that partition, see the docs); size flush.size"
                                + " below it.",
                        GROUP_S3,
                        ++order,
                        Width.SHORT,
                        "Buffer cap (bytes)");
    }

    private static void defineFormat(ConfigDef def) {
        int order = 0;
        def.define(
                        TOPICS_DIR,
                        Type.STRING,
                        "topics",
                        Importance.MEDIUM,
                        "Top-level folder of the objects: <topics.dir>/<topic>/<partition path>/.",
                        GROUP_FORMAT,
                        ++order,
                        Width.MEDIUM,
                        "Topics folder")
                .define(
                        FORMAT,
                        Type.STRING,
                        "json",
                        FormatName.VALIDATOR,
                        Importance.HIGH,
                        "Object format: json (JSON lines) or parquet; Confluent's class names are accepted ("
                                + "io.confluent.connect.s3.format.json.JsonFormat, "
                                + "io.confluent.connect.s3.format.parquet.ParquetFormat).",
                        GROUP_FORMAT,
                        ++order,
                        Width.LONG,
                        "Format")
                .define(
                        COMPRESSION,
                        Type.STRING,
                        "none",
                        ValidString.in("none", "gzip"),
                        Importance.LOW,
                        "Compression of JSON objects (gzip adds .gz to the name).",
                        GROUP_FORMAT,
                        ++order,
                        Width.SHORT,
                        "JSON compression")
                .define(
                        PARQUET_CODEC,
                        Type.STRING,
                        "snappy",
                        ValidString.in("none", "snappy", "zstd"),
                        Importance.LOW,
                        "Compression codec of Parquet column chunks.",
                        GROUP_FORMAT,
                        ++order,
                        Width.SHORT,
                        "Parquet codec")
                .define(
                        NULL_VALUES,
                        Type.STRING,
                        "ignore",
                        ValidString.in("ignore", "fail"),
                        Importance.LOW,
                        "Records with a null value (tombstones): ignore skips them, fail stops the task.",
                        GROUP_FORMAT,
                        ++order,
                        Width.SHORT,
                        "Null values");
    }

    public String bucket() {
        return getString(BUCKET);
    }

    public String region() {
        return getString(REGION);
    }

    public String storeUrl() {
        return getString(STORE_URL);
    }

    public boolean pathStyle() {
        return getBoolean(PATH_STYLE);
    }

    public String accessKeyId() {
        return getString(ACCESS_KEY_ID);
    }

    public Password secretAccessKey() {
        return getPassword(SECRET_ACCESS_KEY);
    }

    public int partSize() {
        return getInt(PART_SIZE);
    }

    public int partRetries() {
        return getInt(PART_RETRIES);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    public long retryBackoffMaxMs() {
        return getLong(RETRY_BACKOFF_MAX_MS);
    }

    public long bufferMaxBytes() {
        return getLong(BUFFER_MAX_BYTES);
    }

    public String topicsDir() {
        return getString(TOPICS_DIR);
    }

    public FormatName format() {
        return FormatName.parse(getString(FORMAT));
    }

    public boolean gzip() {
        return "gzip".equals(getString(COMPRESSION));
    }

    public String parquetCodec() {
        return getString(PARQUET_CODEC);
    }

    public boolean failOnNullValues() {
        return "fail".equals(getString(NULL_VALUES));
    }

    public PartitionerName partitioner() {
        return PartitionerName.parse(getString(PARTITIONER));
    }

    public List<String> partitionFields() {
        return getList(PARTITION_FIELDS);
    }

    public String pathFormat() {
        return getString(PATH_FORMAT);
    }

    public long partitionDurationMs() {
        return getLong(PARTITION_DURATION_MS);
    }

    public TimestampExtractorName timestampExtractor() {
        return TimestampExtractorName.parse(getString(TIMESTAMP_EXTRACTOR));
    }

    public String timestampField() {
        return getString(TIMESTAMP_FIELD);
    }

    public String locale() {
        return getString(LOCALE);
    }

    public String timezone() {
        return getString(TIMEZONE);
    }

    public int flushSize() {
        return getInt(FLUSH_SIZE);
    }

    public long rotateIntervalMs() {
        return getLong(ROTATE_INTERVAL_MS);
    }

    public long rotateScheduleIntervalMs() {
        return getLong(ROTATE_SCHEDULE_INTERVAL_MS);
    }
}
