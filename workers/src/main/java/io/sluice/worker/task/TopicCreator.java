package io.sluice.worker.task;

import io.sluice.log.TopicConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Creates a source connector's topics on first use, with Kafka Connect's {@code topic.creation.*}
 * settings: groups listed in {@code topic.creation.groups} match topics by {@code include} /
 * {@code exclude} regexes, the first match wins, otherwise {@code topic.creation.default.*}.
 * Settings the log knows ({@code partitions}, {@code cleanup.policy}, {@code retention.ms},
 * {@code compression.type}, ...) are applied; {@code replication.factor} is ignored on one node.
 */
public final class TopicCreator {

    private final TopicWriter writer;
    private final Map<String, String> connectorConfig;
    private final int defaultPartitions;
    private final io.sluice.worker.store.ActiveTopics activeTopics;
    private final String connector;

    public TopicCreator(
            TopicWriter writer,
            Map<String, String> connectorConfig,
            int defaultPartitions,
            io.sluice.worker.store.ActiveTopics activeTopics) {
        this.writer = writer;
        this.connectorConfig = connectorConfig;
        this.defaultPartitions = defaultPartitions;
        this.activeTopics = activeTopics;
        this.connector = connectorConfig.get("name");
    }

    /** Makes sure {@code topic} exists; returns its partition count. */
    int ensure(String topic) {
        int partitions = writer.ensure(topic, () -> settingsFor(topic));
        activeTopics.record(connector, topic);
        return partitions;
    }

    Map<String, String> settingsFor(String topic) {
        String group = "default";
        for (String g : groups()) {
            String include = connectorConfig.getOrDefault("topic.creation." + g + ".include", "");
            String exclude = connectorConfig.getOrDefault("topic.creation." + g + ".exclude", "");
            if (matchesAny(include, topic) && !matchesAny(exclude, topic)) {
                group = g;
                break;
            }
        }
        String prefix = "topic.creation." + group + ".";
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(TopicConfig.PARTITIONS, Integer.toString(defaultPartitions));
        connectorConfig.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                String name = k.substring(prefix.length());
                if (name.equals(TopicConfig.PARTITIONS) && v.trim().equals("-1")) {
                    return;
                }
                if (TopicConfig.NAMES.contains(name)) {
                    settings.put(name, v);
                }
            }
        });
        return settings;
    }

    private List<String> groups() {
        List<String> out = new ArrayList<>();
        for (String g :
                connectorConfig.getOrDefault("topic.creation.groups", "").split(",")) {
            if (!g.isBlank()) {
                out.add(g.trim());
            }
        }
        return out;
    }

    private static boolean matchesAny(String regexes, String topic) {
        for (String r : regexes.split(",")) {
            if (!r.isBlank() && Pattern.matches(r.trim(), topic)) {
                return true;
            }
        }
        return false;
    }
}
