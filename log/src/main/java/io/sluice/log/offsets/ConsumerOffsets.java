package io.sluice.log.offsets;

import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import io.sluice.log.StoredRecord;
import io.sluice.log.TopicConfig;
import io.sluice.log.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commits and fetches consumer-group offsets per (group, topic, partition).
 *
 * <p>Each commit is one batch appended to the compacted internal topic {@code __consumer_offsets}
 * with {@code flush=always}, so a commit that returned survives a crash, and a commit of several
 * partitions is all-or-nothing. The latest values are also held in memory, rebuilt from the topic at
 * start-up. Thread-safe; commits are serialised.
 */
public final class ConsumerOffsets {

    public static final String TOPIC = "__consumer_offsets";
    private static final int FETCH_BYTES = 1 << 20;

    private final PartitionLog partition;
    private final Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup = new ConcurrentHashMap<>();
    private final java.util.function.LongSupplier clock;

    private ConsumerOffsets(PartitionLog partition, java.util.function.LongSupplier clock) {
        this.partition = partition;
        this.clock = clock;
    }

    /** Opens the store on {@code log}, creating its topic on first use and loading what it holds. */
    public static ConsumerOffsets open(Log log) {
        log.createTopic(
                TOPIC,
                Map.of(
                        TopicConfig.PARTITIONS, "1",
                        TopicConfig.CLEANUP_POLICY, "compact",
                        TopicConfig.FLUSH, "always",
                        TopicConfig.SEGMENT_BYTES, Integer.toString(16 * 1024 * 1024)));
        ConsumerOffsets store = new ConsumerOffsets(log.partition(TOPIC, 0), System::currentTimeMillis);
        store.load();
        return store;
    }

    private void load() {
        long offset = partition.logStartOffset();
        while (offset < partition.highWatermark()) {
            FetchResult result = partition.fetch(offset, FETCH_BYTES);
            if (result.isEmpty()) {
                break;
            }
            for (StoredRecord r : result.records()) {
                apply(
                        OffsetCommitCodec.decodeKey(r.key()),
                        r.value() == null ? null : OffsetCommitCodec.decodeValue(r.value()));
            }
            offset = result.nextOffset();
        }
    }

    private void apply(OffsetCommitCodec.Key key, OffsetAndMetadata value) {
        if (value == null) {
            Map<TopicPartition, OffsetAndMetadata> group = byGroup.get(key.group());
            if (group != null) {
                group.remove(key.tp());
                if (group.isEmpty()) {
                    byGroup.remove(key.group());
                }
            }
        } else {
            byGroup.computeIfAbsent(key.group(), g -> new ConcurrentHashMap<>()).put(key.tp(), value);
        }
    }

    /** Durably stores the offsets of {@code group} (all or none). */
    public synchronized void commit(String group, Map<TopicPartition, Long> offsets, String metadata) {
        if (offsets.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        List<Record> records = new ArrayList<>(offsets.size());
        Map<TopicPartition, OffsetAndMetadata> values = new HashMap<>();
        offsets.forEach((tp, offset) -> {
            OffsetAndMetadata v = new OffsetAndMetadata(offset, metadata, now);
            values.put(tp, v);
            records.add(Record.of(OffsetCommitCodec.encodeKey(group, tp), OffsetCommitCodec.encodeValue(v), now));
        });
        partition.append(records);
        values.forEach((tp, v) -> apply(new OffsetCommitCodec.Key(group, tp), v));
    }

    /** Removes the stored offsets of {@code group} for {@code partitions} (all of them when empty). */
    public synchronized void delete(String group, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> current = byGroup.getOrDefault(group, Map.of());
        Set<TopicPartition> targets = partitions.isEmpty() ? Set.copyOf(current.keySet()) : partitions;
        List<Record> records = new ArrayList<>();
        for (TopicPartition tp : targets) {
            records.add(Record.of(OffsetCommitCodec.encodeKey(group, tp), null, clock.getAsLong()));
        }
        if (records.isEmpty()) {
            return;
        }
        partition.append(records);
        targets.forEach(tp -> apply(new OffsetCommitCodec.Key(group, tp), null));
    }

    public Optional<OffsetAndMetadata> fetch(String group, TopicPartition tp) {
        return Optional.ofNullable(byGroup.getOrDefault(group, Map.of()).get(tp));
    }

    public Map<TopicPartition, OffsetAndMetadata> fetchAll(String group) {
        return Map.copyOf(byGroup.getOrDefault(group, Map.of()));
    }

    public Set<String> groups() {
        return new TreeSet<>(byGroup.keySet());
    }
}
