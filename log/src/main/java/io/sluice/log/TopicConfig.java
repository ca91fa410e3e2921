package io.sluice.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Per-topic settings, with Kafka's names where Kafka has the same setting.
 *
 * @param partitions number of partitions ({@code partitions})
 * @param deleteEnabled {@code cleanup.policy} contains {@code delete}: old segments are removed by
 *     {@code retention.ms} / {@code retention.bytes}
 * @param compactEnabled {@code cleanup.policy} contains {@code compact}: the latest value per key is kept
 * @param retentionMs age after which a segment may be deleted, -1 for no limit
 * @param retentionBytes partition size above which the oldest segments are deleted, -1 for no limit
 * @param segmentBytes size at which the active segment is rolled
 * @param segmentMs age at which the active segment is rolled
 * @param deleteRetentionMs how long compaction keeps a tombstone after first cleaning it
 * @param compression compression of new batches ({@code compression.type})
 * @param flush when appends are forced to disk ({@code flush}: always|interval)
 * @param flushIntervalMs period of the background flush under {@code flush=interval}
 * @param indexIntervalBytes bytes of batches between two offset-index entries
 * @param maxMessageBytes largest record accepted ({@code max.message.bytes}), measured as the record
 *     encoded alone in an uncompressed batch: key, value and headers plus about 60 bytes of framing
 *     (see {@link io.sluice.log.format.RecordBatch#sizeOfRecord}); a larger record is refused with an
 *     error naming it, a poll of any number of records is split into batches
 */
public record TopicConfig(
        int partitions,
        boolean deleteEnabled,
        boolean compactEnabled,
        long retentionMs,
        long retentionBytes,
        int segmentBytes,
        long segmentMs,
        long deleteRetentionMs,
        Compression compression,
        FlushPolicy flush,
        long flushIntervalMs,
        int indexIntervalBytes,
        int maxMessageBytes) {

    public static final String PARTITIONS = "partitions";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String FLUSH = "flush";
    public static final String FLUSH_INTERVAL_MS = "flush.interval.ms";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";

    /** Default {@code max.message.bytes}: 8 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    /** Every setting name this record understands. */
    public static final Set<String> NAMES = Set.of(
            PARTITIONS,
            CLEANUP_POLICY,
            RETENTION_MS,
            RETENTION_BYTES,
            SEGMENT_BYTES,
            SEGMENT_MS,
            DELETE_RETENTION_MS,
            COMPRESSION_TYPE,
            FLUSH,
            FLUSH_INTERVAL_MS,
            INDEX_INTERVAL_BYTES,
            MAX_MESSAGE_BYTES);

    /**
     * Defaults: 1 partition, delete after 7 days, 128 MiB segments, no compression, interval flush each
     * second, records up to 8 MiB.
     */
    public static final TopicConfig DEFAULTS = new TopicConfig(
            1,
            true,
            false,
            604_800_000L,
            -1L,
            128 * 1024 * 1024,
            604_800_000L,
            86_400_000L,
            Compression.NONE,
            FlushPolicy.INTERVAL,
            1000L,
            4096,
            DEFAULT_MAX_MESSAGE_BYTES);

    public TopicConfig {
        List<String> errors = new ArrayList<>();
        check(errors, partitions >= 1 && partitions <= 10_000, PARTITIONS, partitions, "must be between 1 and 10000");
        check(errors, deleteEnabled || compactEnabled, CLEANUP_POLICY, "", "must contain delete or compact");
        check(errors, retentionMs >= -1, RETENTION_MS, retentionMs, "must be -1 (no limit) or >= 0");
        check(errors, retentionBytes >= -1, RETENTION_BYTES, retentionBytes, "must be -1 (no limit) or >= 0");
        check(errors, segmentBytes >= 1024, SEGMENT_BYTES, segmentBytes, "must be at least 1024");
        check(errors, segmentMs >= 1, SEGMENT_MS, segmentMs, "must be at least 1");
        check(errors, deleteRetentionMs >= 0, DELETE_RETENTION_MS, deleteRetentionMs, "must be >= 0");
        check(errors, compression != null, COMPRESSION_TYPE, compression, "must be none, lz4 or zstd");
        check(errors, flush != null, FLUSH, flush, "must be always or interval");
        check(errors, flushIntervalMs >= 1, FLUSH_INTERVAL_MS, flushIntervalMs, "must be at least 1");
        check(errors, indexIntervalBytes >= 1, INDEX_INTERVAL_BYTES, indexIntervalBytes, "must be at least 1");
        check(
                errors,
                maxMessageBytes >= 1024 && maxMessageBytes <= io.sluice.log.format.RecordBatch.MAX_RECORD_SIZE,
                MAX_MESSAGE_BYTES,
                maxMessageBytes,
                "must be between 1024 and " + io.sluice.log.format.RecordBatch.MAX_RECORD_SIZE);
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
    }

    private static void check(List<String> errors, boolean ok, String name, Object value, String rule) {
        if (!ok) {
            errors.add(name + "=" + value + " " + rule);
        }
    }

    /**
     * Applies {@code overrides} (setting name to string value) on top of {@code this}. Every unknown
     * name and every bad value is reported at once, each naming its setting.
     */
    public TopicConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(toMap());
        List<String> errors = new ArrayList<>();
        overrides.forEach((k, v) -> {
            if (!NAMES.contains(k)) {
                errors.add("unknown setting " + k);
            } else if (v == null) {
                errors.add(k + " must not be null");
            } else {
                merged.put(k, v.trim());
            }
        });
        Parsed p = new Parsed(merged, errors);
        String policy = merged.get(CLEANUP_POLICY);
        Set<String> parts = Set.of(policy.replace(" ", "").split(","));
        if (!Set.of("delete", "compact").containsAll(parts)) {
            errors.add(CLEANUP_POLICY + "=" + policy + " must be delete, compact or compact,delete");
        }
        TopicConfig result = null;
        try {
            result = new TopicConfig(
                    p.get(PARTITIONS, Integer::parseInt, partitions),
                    parts.contains("delete"),
                    parts.contains("compact"),
                    p.get(RETENTION_MS, Long::parseLong, retentionMs),
                    p.get(RETENTION_BYTES, Long::parseLong, retentionBytes),
                    p.get(SEGMENT_BYTES, Integer::parseInt, segmentBytes),
                    p.get(SEGMENT_MS, Long::parseLong, segmentMs),
                    p.get(DELETE_RETENTION_MS, Long::parseLong, deleteRetentionMs),
                    p.get(COMPRESSION_TYPE, Compression::parse, compression),
                    p.get(FLUSH, FlushPolicy::parse, flush),
                    p.get(FLUSH_INTERVAL_MS, Long::parseLong, flushIntervalMs),
                    p.get(INDEX_INTERVAL_BYTES, Integer::parseInt, indexIntervalBytes),
                    p.get(MAX_MESSAGE_BYTES, Integer::parseInt, maxMessageBytes));
        } catch (InvalidConfigException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return result;
    }

    public static TopicConfig parse(Map<String, String> settings) {
        return DEFAULTS.with(settings);
    }

    /** The settings as strings, with their names; round-trips through {@link #parse}. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PARTITIONS, Integer.toString(partitions));
        m.put(
                CLEANUP_POLICY,
                compactEnabled && deleteEnabled ? "compact,delete" : compactEnabled ? "compact" : "delete");
        m.put(RETENTION_MS, Long.toString(retentionMs));
        m.put(RETENTION_BYTES, Long.toString(retentionBytes));
        m.put(SEGMENT_BYTES, Integer.toString(segmentBytes));
        m.put(SEGMENT_MS, Long.toString(segmentMs));
        m.put(DELETE_RETENTION_MS, Long.toString(deleteRetentionMs));
        m.put(COMPRESSION_TYPE, compression.configName());
        m.put(FLUSH, flush.configName());
        m.put(FLUSH_INTERVAL_MS, Long.toString(flushIntervalMs));
        m.put(INDEX_INTERVAL_BYTES, Integer.toString(indexIntervalBytes));
        m.put(MAX_MESSAGE_BYTES, Integer.toString(maxMessageBytes));
        return m;
    }

    private record Parsed(Map<String, String> values, List<String> errors) {
        <T> T get(String name, Function<String, T> parser, T fallback) {
            String raw = values.get(name);
            try {
                return parser.apply(raw);
            } catch (RuntimeException e) {
                errors.add(name + "=" + raw + " is not a valid value");
                return fallback;
            }
        }
    }
}
