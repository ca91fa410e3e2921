package io.sluice.connect.s3;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** Records what a task asks of its framework: pauses, timeouts, offset resets. Not thread-safe. */
final class FakeSinkTaskContext implements SinkTaskContext {

    final Set<TopicPartition> assignment = new HashSet<>();
    final Set<TopicPartition> paused = new HashSet<>();
    final Map<TopicPartition, Long> offsets = new HashMap<>();
    long timeoutMs = -1;
    int timeouts;

    FakeSinkTaskContext(Set<TopicPartition> assignment) {
        this.assignment.addAll(assignment);
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        this.offsets.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        offsets.put(tp, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
        timeouts++;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {
        paused.addAll(Set.of(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
        Set.of(partitions).forEach(paused::remove);
    }

    @Override
    public void requestCommit() {}

    @Override
    public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
        return null;
    }
}
