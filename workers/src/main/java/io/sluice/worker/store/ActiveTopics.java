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
 * in a compacted map under {@code topic/<connector>/<topic>}: on a single worker its own
 * {@code __sluice_status-topics}, in a cluster the replicated status topic, so every worker answers
 * with what the tasks of all workers used, and a reset on any worker applies to all.
 *
 * <p>Each topic is written once per connector: {@link #record} costs one set lookup while the topic
 * is known, and a reset (on any worker: this object follows the map's changes) makes the next use
 * write it again. In a cluster {@link #record} does not wait for the write to be committed, so a task
 * never blocks on the metadata group for it.
 *
 * <p>Thread-safe.
 */
public final class ActiveTopics {

    static final String PREFIX = "topic/";
    private static final byte[] PRESENT = "{}".getBytes(StandardCharsets.UTF_8);

    private final CompactedTopicMap map;
    /** Topics recorded per connector, as the map holds them or as written here and not yet applied. */
    private final Map<String, Set<String>> known = new ConcurrentHashMap<>();

    public ActiveTopics(CompactedTopicMap map) {
        this.map = map;
        map.addListener(this::applied);
        map.withPrefix(PREFIX).keySet().forEach(k -> applied(k, PRESENT));
    }

    /** Follows a change of the map (made here or, in a cluster, by another worker). */
    private void applied(String key, byte[] value) {
        Key k = Key.parse(key);
        if (k == null) {
            return;
        }
        if (value == null) {
            Set<String> topics = known.get(k.connector());
            if (topics != null) {
                topics.remove(k.topic());
            }
        } else {
            set(k.connector()).add(k.topic());
        }
    }

    private Set<String> set(String connector) {
        return known.computeIfAbsent(connector, c -> ConcurrentHashMap.newKeySet());
    }

    /** Notes that {@code connector} used {@code topic}; a no-op when already noted. */
    public void record(String connector, String topic) {
        if (set(connector).add(topic)) {
            Map<String, byte[]> one = new LinkedHashMap<>();
            one.put(new Key(connector, topic).encode(), PRESENT);
            try {
                map.putAllEventually(one);
            } catch (RuntimeException e) {
                set(connector).remove(topic); // noted again on its next use
                throw e;
            }
        }
    }

    /** The topics {@code connector} used since its last reset, in name order, as stored. */
    public Set<String> topics(String connector) {
        Set<String> out = new TreeSet<>();
        for (String key : map.withPrefix(PREFIX + connector + "/").keySet()) {
            Key k = Key.parse(key);
            if (k != null && k.connector().equals(connector)) {
                out.add(k.topic());
            }
        }
        return out;
    }

    /** Forgets every topic {@code connector} used; durable (in a cluster, committed) when it returns. */
    public void reset(String connector) {
        Map<String, byte[]> removals = new LinkedHashMap<>();
        for (String topic : topics(connector)) {
            removals.put(new Key(connector, topic).encode(), null);
        }
        known.remove(connector);
        map.putAll(removals);
    }

    /** A key of the map: {@code topic/<connector>/<topic>} (topic names have no slash). */
    record Key(String connector, String topic) {

        String encode() {
            return PREFIX + connector + "/" + topic;
        }

        /** The key's parts, or null for a key of another kind. */
        static Key parse(String key) {
            if (!key.startsWith(PREFIX)) {
                return null;
            }
            String rest = key.substring(PREFIX.length());
            int slash = rest.lastIndexOf('/');
            return slash > 0 ? new Key(rest.substring(0, slash), rest.substring(slash + 1)) : null;
        }
    }
}
