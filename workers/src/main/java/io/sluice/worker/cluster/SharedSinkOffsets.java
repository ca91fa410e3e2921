package io.sluice.worker.cluster;

import io.sluice.log.TopicPartition;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.JsonCodec;
import io.sluice.worker.store.TaskEpoch;
import io.sluice.worker.task.SinkOffsets;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sink tasks' committed offsets in a cluster: the compacted topic {@code __sluice_sink_offsets},
 * shared by every worker through the metadata group. Key: the JSON array {@code [group, topic,
 * partition]}; value: the offset in decimal. Thread-safe.
 */
final class SharedSinkOffsets implements SinkOffsets {

    static final String TOPIC = "__sluice_sink_offsets";

    private static final com.fasterxml.jackson.core.type.TypeReference<List<Object>> KEY =
            new com.fasterxml.jackson.core.type.TypeReference<>() {};

    private final CompactedTopicMap map;

    SharedSinkOffsets(CompactedTopicMap map) {
        this.map = map;
    }

    private static String key(String group, TopicPartition tp) {
        return new String(JsonCodec.write(List.of(group, tp.topic(), tp.partition())), StandardCharsets.UTF_8);
    }

    @Override
    public Optional<Long> fetch(String group, TopicPartition tp) {
        byte[] v = map.get(key(group, tp));
        return v == null ? Optional.empty() : Optional.of(Long.parseLong(new String(v, StandardCharsets.UTF_8)));
    }

    @Override
    public Map<TopicPartition, Long> fetchAll(String group) {
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        String prefix = new String(JsonCodec.write(List.of(group)), StandardCharsets.UTF_8);
        prefix = prefix.substring(0, prefix.length() - 1) + ",";
        map.withPrefix(prefix).forEach((k, v) -> {
            List<Object> key = JsonCodec.read(k.getBytes(StandardCharsets.UTF_8), KEY, "sink offset key");
            out.put(
                    new TopicPartition((String) key.get(1), ((Number) key.get(2)).intValue()),
                    Long.parseLong(new String(v, StandardCharsets.UTF_8)));
        });
        return out;
    }

    @Override
    public void delete(String group, java.util.Set<TopicPartition> partitions) {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        (partitions.isEmpty() ? fetchAll(group).keySet() : partitions).forEach(tp -> changes.put(key(group, tp), null));
        map.putAll(changes);
    }

    @Override
    public void commit(String group, Map<TopicPartition, Long> offsets) {
        map.putAll(changes(group, offsets));
    }

    @Override
    public void commit(String group, Map<TopicPartition, Long> offsets, TaskEpoch writer) {
        map.putAll(changes(group, offsets), writer);
    }

    private static Map<String, byte[]> changes(String group, Map<TopicPartition, Long> offsets) {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        offsets.forEach((tp, o) -> changes.put(key(group, tp), Long.toString(o).getBytes(StandardCharsets.UTF_8)));
        return changes;
    }
}
