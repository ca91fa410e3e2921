package io.sluice.connect.s3;

import io.sluice.connect.s3.format.Format;
import io.sluice.connect.s3.format.JsonFormat;
import io.sluice.connect.s3.format.ParquetFormat;
import io.sluice.connect.s3.partition.DefaultPartitioner;
import io.sluice.connect.s3.partition.FieldPartitioner;
import io.sluice.connect.s3.partition.Partitioner;
import io.sluice.connect.s3.partition.TimeBasedPartitioner;
import io.sluice.connect.s3.partition.TimestampExtractor;
import io.sluice.connect.s3.upload.ObjectUploader;
import io.sluice.connect.s3.upload.S3ClientFactory;
import io.sluice.connect.s3.write.ObjectNames;
import io.sluice.connect.s3.write.Rotation;
import io.sluice.connect.s3.write.TopicPartitionWriter;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes records to S3 objects, one {@link TopicPartitionWriter} per assigned topic partition.
 *
 * <p><b>Exactly once.</b> {@link #preCommit} returns, per topic partition, the offset below which
 * every record is in an uploaded object; the framework commits only that. Objects are named by
 * their first record's offset and cut at repeatable points, so after a crash the records from the
 * committed offset on are written to the same keys with the same contents: the bucket holds every
 * record once. Open objects are dropped on {@link #close} and {@link #stop}, never uploaded early.
 *
 * <p><b>S3 down.</b> Each request is retried by the SDK; an upload that still fails stays in memory
 * and is retried with a growing backoff ({@code s3.retry.backoff.ms} up to {@code
 * s3.retry.backoff.max.ms}) from {@code put} and {@code preCommit}. While an upload waits, {@code
 * put} takes nothing: it sets {@code context.timeout} and throws {@link RetriableException}, so the
 * framework pauses and redelivers the same records later. Memory stays under {@code
 * s3.buffer.max.bytes} plus one delivered batch. A failure retrying cannot fix (the bucket does
 * not exist, the credentials are wrong or lack a permission) fails the task with a message naming
 * the cause and the setting to fix.
 *
 * <p>Threading: the framework calls every method from the task's one thread, except {@link #stop}.
 */
public class S3SinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(S3SinkTask.class);
    private static final long MIN_RETRY_TIMEOUT_MS = 100;

    private final Clock clock;
    private final Map<TopicPartition, TopicPartitionWriter> writers = new LinkedHashMap<>();
    private S3SinkConfig config;
    private S3Client s3;
    private TopicPartitionWriter.Settings settings;
    private long bufferCap;
    private long peakBufferedBytes;
    private org.apache.kafka.common.metrics.PluginMetrics pluginMetrics;
    private final java.util.List<org.apache.kafka.common.MetricName> metricNames = new java.util.ArrayList<>();

    public S3SinkTask() {
        this(Clock.systemUTC());
    }

    /** For tests: a clock for the wall-clock extractor and scheduled rotation. */
    S3SinkTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return S3SinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = S3SinkConfigChecks.parse(props);
        s3 = S3ClientFactory.create(new S3ClientFactory.Settings(
                config.region(),
                config.storeUrl(),
                config.pathStyle(),
                config.accessKeyId(),
                config.secretAccessKey().value(),
                config.partRetries(),
                config.retryBackoffMs(),
                config.retryBackoffMaxMs()));
        Format format = switch (config.format()) {
            case JSON -> new JsonFormat(config.gzip());
            case PARQUET -> new ParquetFormat(config.parquetCodec());
        };
        ZoneId zone = config.timezone().isBlank()
                ? ZoneOffset.UTC
                : ZoneId.of(config.timezone().trim());
        ObjectUploader uploader = new ObjectUploader(s3, config.bucket(), config.partSize());
        registerMetrics(uploader);
        settings = new TopicPartitionWriter.Settings(
                format,
                new ObjectNames(config.topicsDir(), format.extension()),
                partitioner(config, zone),
                TimestampExtractor.of(config.timestampExtractor(), config.timestampField(), clock),
                new Rotation(config.flushSize(), config.rotateIntervalMs(), config.rotateScheduleIntervalMs()),
                uploader,
                config.failOnNullValues(),
                config.retryBackoffMs(),
                config.retryBackoffMaxMs(),
                zone);
        bufferCap = config.bufferMaxBytes();
        LOG.info(
                "S3 sink task started: bucket {}, format {}, partitioner {}, flush.size {}",
                config.bucket(),
                config.format(),
                config.partitioner(),
                config.flushSize());
    }

    /**
     * Publishes upload counters through the framework's plugin metrics (Kafka Connect 4.1+, and the
     * hub, which exports them to Prometheus as {@code sluice_plugin_s3_uploads_total} etc.).
     */
    private void registerMetrics(ObjectUploader uploader) {
        org.apache.kafka.common.metrics.PluginMetrics metrics;
        try {
            metrics = context == null ? null : context.pluginMetrics();
        } catch (UnsupportedOperationException | NoSuchMethodError e) {
            metrics = null; // an older framework
        }
        if (metrics == null) {
            return;
        }
        java.util.LinkedHashMap<String, String> tags = new java.util.LinkedHashMap<>();
        addMetric(metrics, metrics.metricName("s3-uploads-total", "Objects uploaded", tags), uploader::uploads);
        addMetric(
                metrics,
                metrics.metricName("s3-upload-bytes-total", "Bytes of the objects uploaded", tags),
                uploader::uploadedBytes);
        addMetric(
                metrics,
                metrics.metricName("s3-upload-failures-total", "Upload attempts that failed", tags),
                uploader::failures);
        pluginMetrics = metrics;
    }

    /** Adds a metric, replacing one of this task's name a previous instance left behind. */
    private void addMetric(
            org.apache.kafka.common.metrics.PluginMetrics metrics,
            org.apache.kafka.common.MetricName name,
            java.util.function.LongSupplier value) {
        removeMetric(metrics, name);
        try {
            metrics.addMetric(name, (org.apache.kafka.common.metrics.Measurable) (c, now) -> value.getAsLong());
            metricNames.add(name);
        } catch (RuntimeException e) {
            LOG.debug("Metric {} not registered: {}", name.name(), e.toString()); // metrics never fail the task
        }
    }

    private static void removeMetric(
            org.apache.kafka.common.metrics.PluginMetrics metrics, org.apache.kafka.common.MetricName name) {
        try {
            metrics.removeMetric(name);
        } catch (RuntimeException notThere) {
            // PluginMetrics throws for a name it does not hold
        }
    }

    private static Partitioner partitioner(S3SinkConfig config, ZoneId zone) {
        Locale locale = config.locale().isBlank()
                ? Locale.ROOT
                : Locale.forLanguageTag(config.locale().replace('_', '-'));
        return switch (config.partitioner()) {
            case DEFAULT -> new DefaultPartitioner();
            case FIELD -> new FieldPartitioner(config.partitionFields());
            case TIME -> new TimeBasedPartitioner(config.pathFormat(), config.partitionDurationMs(), zone, locale);
            case HOURLY ->
                new TimeBasedPartitioner(
                        TimeBasedPartitioner.HOURLY_FORMAT, TimeBasedPartitioner.HOUR_MS, zone, locale);
            case DAILY ->
                new TimeBasedPartitioner(TimeBasedPartitioner.DAILY_FORMAT, TimeBasedPartitioner.DAY_MS, zone, locale);
        };
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            writers.computeIfAbsent(tp, p -> new TopicPartitionWriter(p, settings));
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        long now = clock.millis();
        long waitMs = uploadSealed(now);
        if (waitMs >= 0) {
            if (context != null) {
                context.timeout(Math.max(MIN_RETRY_TIMEOUT_MS, waitMs));
            }
            RuntimeException last = lastFailure();
            throw new RetriableException(
                    "S3 uploads to bucket '" + config.bucket() + "' are failing"
                            + (last == null ? "" : " (" + last + ")") + "; " + sealedCount()
                            + " objects wait for upload, taking no records until they are uploaded",
                    last);
        }
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            writers.computeIfAbsent(tp, p -> new TopicPartitionWriter(p, settings))
                    .write(record, now);
            enforceBufferCap(now);
        }
        writers.values().forEach(w -> w.rotateIfScheduled(now));
    }

    /** Uploads what waits; returns -1 if nothing is left waiting, else ms until the next attempt. */
    private long uploadSealed(long now) {
        long waitMs = -1;
        for (TopicPartitionWriter w : writers.values()) {
            if (!w.uploadSealed(now)) {
                long remaining = w.backoffRemainingMs(clock.millis());
                waitMs = waitMs < 0 ? remaining : Math.min(waitMs, remaining);
            }
        }
        return waitMs;
    }

    private RuntimeException lastFailure() {
        return writers.values().stream()
                .map(TopicPartitionWriter::lastFailure)
                .filter(java.util.Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    private long sealedCount() {
        return writers.values().stream().mapToLong(w -> w.sealedKeys().size()).sum();
    }

    /** Over the cap, uploads the open objects of the partition holding most, early. */
    private void enforceBufferCap(long now) {
        long total = 0;
        TopicPartitionWriter largest = null;
        for (TopicPartitionWriter w : writers.values()) {
            total += w.bufferedBytes();
            if (largest == null || w.openBytes() > largest.openBytes()) {
                largest = w;
            }
        }
        peakBufferedBytes = Math.max(peakBufferedBytes, total);
        if (total >= bufferCap && largest != null && largest.openBytes() > 0) {
            LOG.warn(
                    "Buffered {} bytes reached s3.buffer.max.bytes={}; uploading {} early (not repeatable"
                            + " after a crash: lower flush.size to keep exactly-once)",
                    total,
                    bufferCap,
                    largest.source());
            largest.rotate(now);
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        long now = clock.millis();
        writers.values().forEach(w -> w.rotateIfScheduled(now));
        uploadSealed(now);
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
        writers.forEach((tp, w) -> w.committableOffset().ifPresent(o -> safe.put(tp, new OffsetAndMetadata(o))));
        return safe;
    }

    /** Not used: offsets are decided by {@link #preCommit}, which never forces an upload. */
    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {}

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            TopicPartitionWriter w = writers.remove(tp);
            if (w != null) {
                w.discard();
            }
        }
    }

    @Override
    public void stop() {
        writers.values().forEach(TopicPartitionWriter::discard);
        writers.clear();
        if (s3 != null) {
            s3.close();
        }
        if (pluginMetrics != null) {
            metricNames.forEach(name -> removeMetric(pluginMetrics, name));
            metricNames.clear();
        }
        LOG.info("S3 sink task stopped");
    }

    /** Memory held in objects not yet uploaded, now. */
    public long bufferedBytes() {
        return writers.values().stream()
                .mapToLong(TopicPartitionWriter::bufferedBytes)
                .sum();
    }

    /** The most memory held in objects not yet uploaded since start. */
    public long peakBufferedBytes() {
        return peakBufferedBytes;
    }
}
