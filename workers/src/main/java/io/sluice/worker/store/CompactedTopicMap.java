package io.sluice.worker.store;

import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import io.sluice.log.StoredRecord;
import io.sluice.log.TopicConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * A string-keyed map of byte values kept in a one-partition compacted topic of the log: every change
 * is appended (several keys in one batch, so a multi-key change is all-or-nothing), a {@code null}
 * value removes a key, and the current map is rebuilt from the topic at start-up. This is how the
 * worker keeps connector configs, statuses and source offsets, so a restarted worker resumes exactly
 * where it stopped.
 *
 * <p>Thread-safe. Writes are serialised and durable ({@code flush=always}) before they return.
 */
public final class CompactedTopicMap {

    private static final int FETCH_BYTES = 1 << 20;

    private final String topic;
    private final PartitionLog partition;
    private final Map<String, byte[]> values = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, byte[]>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile ConfigLog replicated;

    private CompactedTopicMap(String topic, PartitionLog partition) {
        this.topic = topic;
        this.partition = partition;
    }

    /** Opens the map stored in {@code topic}, creating the topic on first use. */
    public static CompactedTopicMap open(Log log, String topic) {
        log.createTopic(
                topic,
                Map.of(
                        TopicConfig.PARTITIONS, "1",
                        TopicConfig.CLEANUP_POLICY, "compact",
                        TopicConfig.FLUSH, "always",
                        TopicConfig.SEGMENT_BYTES, Integer.toString(16 * 1024 * 1024),
                        // values are bounded by the REST body limit, not by the records connectors write
                        TopicConfig.MAX_MESSAGE_BYTES,
                                Integer.toString(io.sluice.log.format.RecordBatch.MAX_RECORD_SIZE)));
        CompactedTopicMap map = new CompactedTopicMap(topic, log.partition(topic, 0));
        map.load();
        return map;
    }

    private void load() {
        long offset = partition.logStartOffset();
        while (offset < partition.highWatermark()) {
            FetchResult result = partition.fetch(offset, FETCH_BYTES);
            if (result.isEmpty()) {
                break;
            }
            for (StoredRecord r : result.records()) {
                apply(new String(r.key(), StandardCharsets.UTF_8), r.value());
            }
            offset = result.nextOffset();
        }
    }

    private void apply(String key, byte[] value) {
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
    }

    /**
     * Sends every later change through {@code log} (the cluster's metadata group) instead of appending
     * locally; the group applies it back here with {@link #applyCommitted}.
     */
    public void replicateThrough(ConfigLog log) {
        this.replicated = log;
    }

    /**
     * Stores all {@code changes} at once ({@code null} values remove keys); durable (and, in a cluster,
     * committed by a majority and applied here) when it returns.
     */
    public void putAll(Map<String, byte[]> changes) {
        if (changes.isEmpty()) {
            return;
        }
        ConfigLog log = replicated;
        if (log != null) {
            log.write(topic, changes);
            return;
        }
        applyCommitted(changes);
    }

    /**
     * As {@link #putAll(Map)} for a task's offsets: in a cluster applied only while {@code writer}
     * holds its assignment at that epoch (on a single worker there is nothing to fence).
     *
     * @throws FencedWriteException when it no longer does
     */
    public void putAll(Map<String, byte[]> changes, TaskEpoch writer) {
        ConfigLog log = replicated;
        if (log != null && !changes.isEmpty()) {
            log.write(topic, changes, writer);
        } else {
            putAll(changes);
        }
    }

    /** Like {@link #putAll} but, in a cluster, returns before the change is committed. */
    public void putAllEventually(Map<String, byte[]> changes) {
        ConfigLog log = replicated;
        if (log != null && !changes.isEmpty()) {
            log.writeAsync(topic, changes);
        } else {
            putAll(changes);
        }
    }

    /**
     * Appends committed {@code changes} to the local topic and applies them; the metadata group's
     * state machine calls this (and so does {@link #putAll} on a single worker).
     */
    public synchronized void applyCommitted(Map<String, byte[]> changes) {
        if (changes.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<Record> records = new ArrayList<>(changes.size());
        changes.forEach((k, v) -> records.add(Record.of(k.getBytes(StandardCharsets.UTF_8), v, now)));
        partition.append(records);
        changes.forEach(this::apply);
        changes.forEach((k, v) -> listeners.forEach(l -> l.accept(k, v)));
    }

    public void put(String key, byte[] value) {
        Map<String, byte[]> one = new LinkedHashMap<>();
        one.put(key, value);
        putAll(one);
    }

    public void remove(String key) {
        put(key, null);
    }

    public byte[] get(String key) {
        return values.get(key);
    }

    /** A copy of all entries. */
    public Map<String, byte[]> snapshot() {
        return new LinkedHashMap<>(values);
    }

    /** A copy of the entries whose key starts with {@code prefix}. */
    public Map<String, byte[]> withPrefix(String prefix) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Called after every change with the key and the new value ({@code null} when removed). */
    public void addListener(BiConsumer<String, byte[]> listener) {
        listeners.add(listener);
    }

    public String topic() {
        return topic;
    }
}
