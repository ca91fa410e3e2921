package io.sluice.connect.elasticsearch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Records what a task asks of its framework (pauses) and what it reports as errant, standing in
 * for the dead-letter queue. Reports may come from any thread.
 */
final class FakeSinkTaskContext implements SinkTaskContext {

    final Set<TopicPartition> assignment = new HashSet<>();
    final Set<TopicPartition> paused = Collections.synchronizedSet(new HashSet<>());
    final List<SinkRecord> deadLetters = Collections.synchronizedList(new ArrayList<>());
    final boolean withReporter;
    volatile int pauses;
    /** What {@link #pluginMetrics()} hands the task; null as in a framework older than 4.1. */
    volatile org.apache.kafka.common.metrics.PluginMetrics metrics;

    FakeSinkTaskContext(Set<TopicPartition> assignment, boolean withReporter) {
        this.assignment.addAll(assignment);
        this.withReporter = withReporter;
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {}

    @Override
    public void offset(TopicPartition tp, long offset) {}

    @Override
    public void timeout(long timeoutMs) {}

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {
        pauses++;
        paused.addAll(Set.of(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
        Set.of(partitions).forEach(paused::remove);
    }

    @Override
    public void requestCommit() {}

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (!withReporter) {
            return null;
        }
        return (record, error) -> {
            deadLetters.add(record);
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
        return metrics;
    }
}
