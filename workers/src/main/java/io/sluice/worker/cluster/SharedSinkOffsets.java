package io.sluice.worker.cluster;

import io.sluice.log.TopicPartition;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.JsonCodec;
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
    public void commit(String group, Map<TopicPartition, Long> offsets) {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        offsets.forEach((tp, o) -> changes.put(key(group, tp), Long.toString(o).getBytes(StandardCharsets.UTF_8)));
        map.putAll(changes);
    }
}
