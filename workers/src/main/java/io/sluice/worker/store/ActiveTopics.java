package io.sluice.worker.store;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topics each connector has written to (source) or read from (sink) since it was created or its
 * topic set was last reset, as Kafka Connect's {@code /connectors/{name}/topics} reports them. Kept
 * in the status topic under {@code topic/<connector>/<topic>}; each topic is written once, so
 * recording on every record costs one map lookup. Thread-safe.
 */
public final class ActiveTopics {

    private static final byte[] PRESENT = "{}".getBytes(StandardCharsets.UTF_8);

    private final CompactedTopicMap map;
    private final Map<String, Set<String>> known = new ConcurrentHashMap<>();

    public ActiveTopics(CompactedTopicMap map) {
        this.map = map;
        map.withPrefix("topic/").keySet().forEach(k -> {
            String rest = k.substring("topic/".length());
            int slash = rest.lastIndexOf('/');
            if (slash > 0) {
                set(rest.substring(0, slash)).add(rest.substring(slash + 1));
            }
        });
    }

    private Set<String> set(String connector) {
        return known.computeIfAbsent(connector, c -> ConcurrentHashMap.newKeySet());
    }

    public void record(String connector, String topic) {
        if (set(connector).add(topic)) {
            map.put("topic/" + connector + "/" + topic, PRESENT);
        }
    }

    public Set<String> topics(String connector) {
        return new TreeSet<>(known.getOrDefault(connector, Set.of()));
    }

    public void reset(String connector) {
        Set<String> topics = known.remove(connector);
        if (topics == null || topics.isEmpty()) {
            return;
        }
        Map<String, byte[]> removals = new LinkedHashMap<>();
        topics.forEach(t -> removals.put("topic/" + connector + "/" + t, null));
        map.putAll(removals);
    }
}
