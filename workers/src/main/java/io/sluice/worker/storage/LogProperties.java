package io.sluice.worker.storage;

import io.sluice.log.FlushPolicy;
import io.sluice.log.LogOptions;
import io.sluice.log.TopicConfig;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import org.springframework.validation.annotation.Validated;

/**
 * Storage settings of a worker ({@code sluice.data-dir} and {@code sluice.log.*}). Topic-level values
 * here are the defaults for topics created without their own settings.
 *
 * @param dataDir where the log keeps its topics ({@code ./data} by default)
 * @param log log defaults
 */
@Validated
@ConfigurationProperties("sluice")
public record LogProperties(
        @NotNull @DefaultValue("./data") Path dataDir,
        @NotNull @DefaultValue Log log) {

    /**
     * @param flush {@code interval} (default: acknowledged from the page cache, forced every
     *     {@code flush-interval}) or {@code always} (fsync before acknowledging)
     * @param flushInterval period of the background flush
     * @param segmentSize size at which segments roll
     * @param retention default age after which records may be deleted
     * @param retentionCheckInterval how often retention runs
     * @param cleanerInterval how often compaction of compacted topics runs
     * @param maxMessageBytes largest record of topics created without their own
     *     {@code max.message.bytes} (Kafka's name), measured encoded alone in an uncompressed batch;
     *     polls of any total size are split into batches, a larger record is refused naming it
     */
    public record Log(
            @NotNull @DefaultValue("interval") FlushPolicy flush,
            @NotNull @DefaultValue("1s") Duration flushInterval,

            @NotNull @DefaultValue("128MB") @DataSizeUnit(DataUnit.BYTES)
            DataSize segmentSize,

            @NotNull @DefaultValue("7d") Duration retention,
            @NotNull @DefaultValue("30s") Duration retentionCheckInterval,
            @NotNull @DefaultValue("15s") Duration cleanerInterval,

            @NotNull @DefaultValue("8MB") @DataSizeUnit(DataUnit.BYTES)
            DataSize maxMessageBytes) {}

    /** The log options these settings describe; bad values are reported naming the setting. */
    public LogOptions toLogOptions() {
        TopicConfig defaults = TopicConfig.DEFAULTS.with(Map.of(
                TopicConfig.FLUSH, log.flush().configName(),
                TopicConfig.FLUSH_INTERVAL_MS, Long.toString(log.flushInterval().toMillis()),
                TopicConfig.SEGMENT_BYTES, Long.toString(log.segmentSize().toBytes()),
                TopicConfig.RETENTION_MS, Long.toString(log.retention().toMillis()),
                TopicConfig.MAX_MESSAGE_BYTES,
                        Long.toString(log.maxMessageBytes().toBytes())));
        return LogOptions.defaults(dataDir)
                .withTopicDefaults(defaults)
                .withIntervals(log.retentionCheckInterval(), log.cleanerInterval(), Duration.ofSeconds(60));
    }
}
