package io.sluice.worker.task;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The {@link SinkTaskContext} of one sink task: requests from the task (offset resets, pause,
 * resume, timeout, commit) are recorded here and applied by the task loop between deliveries.
 * Thread-safe.
 */
final class SinkControl implements SinkTaskContext {

    private final Map<String, String> config;
    private final ErrantRecordReporter reporter;
    private final PluginMetrics metrics;
    final Map<TopicPartition, Long> offsetResets = new ConcurrentHashMap<>();
    final Set<TopicPartition> paused = ConcurrentHashMap.newKeySet();
    volatile Set<TopicPartition> assignment = Set.of();
    volatile long timeoutMs = -1;
    volatile boolean commitRequested;

    SinkControl(Map<String, String> config, ErrantRecordReporter reporter, PluginMetrics metrics) {
        this.config = config;
        this.reporter = reporter;
        this.metrics = metrics;
    }

    @Override
    public Map<String, String> configs() {
        return config;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        offsetResets.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        offsetResets.put(tp, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public void pause(TopicPartition... partitions) {
        for (TopicPartition tp : partitions) {
            checkAssigned(tp);
            paused.add(tp);
        }
    }

    @Override
    public void resume(TopicPartition... partitions) {
        for (TopicPartition tp : partitions) {
            checkAssigned(tp);
            paused.remove(tp);
        }
    }

    private void checkAssigned(TopicPartition tp) {
        if (!assignment.contains(tp)) {
            throw new IllegalStateException("partition " + tp + " is not assigned to this task");
        }
    }

    @Override
    public void requestCommit() {
        commitRequested = true;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        return reporter;
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return metrics;
    }

    /** Removes every metric the task registered through {@link #pluginMetrics()} (when the task stops). */
    void closeMetrics() {
        if (metrics instanceof java.io.Closeable closeable) {
            try {
                closeable.close();
            } catch (java.io.IOException e) {
                // removing in-memory metrics does not fail
            }
        }
    }
}
