package io.sluice.connect.jdbc.testing;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * The one fake in these tests: source offsets kept in memory, as the hub keeps them in its offsets
 * topic. Partitions and offsets go through Connect's {@link JsonConverter} (schemaless) on the way
 * in, as they do in a real worker, so an offset read back has JSON's types (an int comes back as a
 * long). Thread-safe.
 */
public final class OffsetMemory implements OffsetStorageReader {

    private final JsonConverter json = new JsonConverter();
    private final Map<String, Map<String, Object>> offsets = new ConcurrentHashMap<>();

    public OffsetMemory() {
        json.configure(Map.of("schemas.enable", "false", "converter.type", "key"), true);
    }

    /** Stores {@code offset} as the newest for {@code partition}. */
    public void put(Map<String, ?> partition, Map<String, ?> offset) {
        offsets.put(key(partition), roundTrip(offset));
    }

    public int size() {
        return offsets.size();
    }

    @Override
    public <T> Map<String, Object> offset(Map<String, T> partition) {
        return offsets.get(key(partition));
    }

    @Override
    public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
        Map<Map<String, T>, Map<String, Object>> result = new HashMap<>();
        for (Map<String, T> partition : partitions) {
            Map<String, Object> offset = offset(partition);
            if (offset != null) {
                result.put(partition, offset);
            }
        }
        return result;
    }

    private String key(Map<String, ?> partition) {
        return new String(
                json.fromConnectData("offsets", null, new java.util.TreeMap<>(partition)), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> roundTrip(Map<String, ?> offset) {
        byte[] bytes = json.fromConnectData("offsets", null, offset);
        return (Map<String, Object>) json.toConnectData("offsets", bytes).value();
    }
}
