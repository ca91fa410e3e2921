package io.sluice.worker.task;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions a sink task reads: the topics named in {@code topics} (or matching
 * {@code topics.regex}), all their partitions in a fixed order, dealt out over the connector's tasks
 * so task {@code i} of {@code n} takes every n-th partition. Deterministic, so a restarted task
 * takes the same partitions. Internal topics ({@code __*}) only match when named explicitly.
 */
final class SinkSubscription {

    private final List<String> topics;
    private final Pattern regex;
    private final int taskIndex;
    private final int taskCount;

    SinkSubscription(String topicsList, String topicsRegex, int taskIndex, int taskCount) {
        List<String> named = new ArrayList<>();
        if (topicsList != null) {
            for (String t : topicsList.split(",")) {
                if (!t.isBlank()) {
                    named.add(t.trim());
                }
            }
        }
        this.topics = named;
        this.regex = topicsRegex == null || topicsRegex.isBlank() ? null : Pattern.compile(topicsRegex.trim());
        this.taskIndex = taskIndex;
        this.taskCount = Math.max(1, taskCount);
    }

    /** The partitions this task should read now (topics that do not exist yet are skipped). */
    Set<TopicPartition> resolve(TopicReader log) {
        List<String> matched = new ArrayList<>();
        for (String topic : new java.util.TreeSet<>(log.topics())) {
            if (topics.contains(topic)
                    || (regex != null
                            && !topic.startsWith("__")
                            && regex.matcher(topic).matches())) {
                matched.add(topic);
            }
        }
        Set<TopicPartition> mine = new LinkedHashSet<>();
        int i = 0;
        for (String topic : matched) {
            int partitions = log.partitions(topic);
            for (int p = 0; p < partitions; p++, i++) {
                if (i % taskCount == taskIndex) {
                    mine.add(new TopicPartition(topic, p));
                }
            }
        }
        return mine;
    }
}
