package io.sluice.worker.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Source connectors' offsets ({@code sourcePartition -> sourceOffset} maps, as Kafka Connect's
 * {@code OffsetStorageReader} sees them), in the compacted topic {@code __sluice_offsets}. The key is
 * the JSON array {@code [connector, sourcePartition]} with the partition's keys sorted, as Kafka
 * Connect writes it; the value the JSON offset map. Thread-safe.
 */
public final class SourceOffsetStore {

    public static final String TOPIC = "__sluice_offsets";
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<List<Object>> KEY = new TypeReference<>() {};

    private final CompactedTopicMap map;

    public SourceOffsetStore(CompactedTopicMap map) {
        this.map = map;
    }

    static String key(String connector, Map<String, ?> partition) {
        return new String(
                JsonCodec.write(List.of(connector, new TreeMap<>(partition))), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Stores offsets for several source partitions at once; a {@code null} offset removes one. */
    public void put(String connector, Map<Map<String, ?>, Map<String, ?>> offsets) {
        map.putAll(changes(connector, offsets));
    }

    /**
     * Stores a task's offsets; in a cluster only while {@code writer} holds its assignment.
     *
     * @throws FencedWriteException when it no longer does
     */
    public void put(TaskEpoch writer, Map<Map<String, ?>, Map<String, ?>> offsets) {
        map.putAll(changes(writer.connector(), offsets), writer);
    }

    private static Map<String, byte[]> changes(String connector, Map<Map<String, ?>, Map<String, ?>> offsets) {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        offsets.forEach((partition, offset) ->
                changes.put(key(connector, partition), offset == null ? null : JsonCodec.write(offset)));
        return changes;
    }

    public Map<String, Object> get(String connector, Map<String, ?> partition) {
        byte[] v = map.get(key(connector, partition));
        return v == null ? null : JsonCodec.readConnectData(v, MAP, "source offset");
    }

    /** Every stored (partition, offset) pair of a connector. */
    @SuppressWarnings("unchecked")
    public Map<Map<String, Object>, Map<String, Object>> all(String connector) {
        Map<Map<String, Object>, Map<String, Object>> out = new HashMap<>();
        String prefix = new String(JsonCodec.write(List.of(connector)), java.nio.charset.StandardCharsets.UTF_8);
        prefix = prefix.substring(0, prefix.length() - 1) + ",";
        map.withPrefix(prefix).forEach((k, v) -> {
            List<Object> key = JsonCodec.readConnectData(
                    k.getBytes(java.nio.charset.StandardCharsets.UTF_8), KEY, "source offset key");
            out.put((Map<String, Object>) key.get(1), JsonCodec.readConnectData(v, MAP, "source offset"));
        });
        return out;
    }

    /** Removes all offsets of a connector. */
    public void removeAll(String connector) {
        Map<Map<String, ?>, Map<String, ?>> removals = new LinkedHashMap<>();
        all(connector).keySet().forEach(p -> removals.put(p, null));
        if (!removals.isEmpty()) {
            put(connector, removals);
        }
    }

    public List<String> keysFor(String connector) {
        return new ArrayList<>(
                all(connector).keySet().stream().map(p -> key(connector, p)).toList());
    }
}
