package io.sluice.connect.jdbc.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceConnectorContext;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Drives a {@link SourceConnector} and one of its tasks the way a Connect worker does: initialize,
 * start, taskConfigs, then poll on the calling thread, storing each record's offset (newest per
 * partition wins) and acknowledging it with {@code commitRecord}; {@link #commitOffsets()} is the
 * worker's periodic offset flush ({@code SourceTask.commit()}). Not thread-safe: one test thread.
 */
public final class SourceHarness implements AutoCloseable {

    private final SourceConnector connector;
    private final Map<String, String> props;
    private final OffsetMemory offsets;
    private final AtomicInteger reconfigurations = new AtomicInteger();
    private final List<Exception> raisedErrors = new ArrayList<>();
    private SourceTask task;
    private Map<String, String> taskConfig;

    public SourceHarness(SourceConnector connector, Map<String, String> props, OffsetMemory offsets) {
        this.connector = connector;
        this.props = props;
        this.offsets = offsets;
    }

    /** Starts the connector and its first task (of {@code maxTasks} asked for). */
    public SourceHarness start(int maxTasks) {
        connector.initialize(new SourceConnectorContext() {
            @Override
            public void requestTaskReconfiguration() {
                reconfigurations.incrementAndGet();
            }

            @Override
            public void raiseError(Exception e) {
                raisedErrors.add(e);
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return offsets;
            }
        });
        connector.start(props);
        List<Map<String, String>> configs = connector.taskConfigs(maxTasks);
        if (configs.isEmpty()) {
            return this;
        }
        startTask(configs.get(0));
        return this;
    }

    /** Starts a task with {@code config} (stopping the current one first). */
    public SourceTask startTask(Map<String, String> config) {
        stopTask();
        try {
            task = (SourceTask) connector.taskClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        taskConfig = config;
        task.initialize(new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return taskConfig;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return offsets;
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return null;
            }
        });
        task.start(config);
        return task;
    }

    public SourceConnector connector() {
        return connector;
    }

    public SourceTask task() {
        return task;
    }

    public int reconfigurationRequests() {
        return reconfigurations.get();
    }

    /** One poll; offsets stored and records acknowledged as a worker does after appending them. */
    public List<SourceRecord> pollOnce() throws InterruptedException {
        List<SourceRecord> records = task.poll();
        if (records == null) {
            return List.of();
        }
        for (SourceRecord record : records) {
            if (record.sourcePartition() != null && record.sourceOffset() != null) {
                offsets.put(record.sourcePartition(), record.sourceOffset());
            }
            task.commitRecord(record, null);
        }
        return records;
    }

    /** Polls until the records gathered satisfy {@code done}; fails after {@code timeout}. */
    public List<SourceRecord> pollUntil(Predicate<List<SourceRecord>> done, Duration timeout)
            throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(all)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "Timed out after " + timeout + " with " + all.size() + " records: " + summary(all));
            }
            all.addAll(pollOnce());
        }
        return all;
    }

    /** Polls until at least {@code count} records arrived. */
    public List<SourceRecord> pollAtLeast(int count, Duration timeout) throws InterruptedException {
        return pollUntil(r -> r.size() >= count, timeout);
    }

    /** Polls for {@code duration}, returning whatever arrived (to show that nothing more comes). */
    public List<SourceRecord> pollFor(Duration duration) throws InterruptedException {
        List<SourceRecord> all = new ArrayList<>();
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            all.addAll(pollOnce());
        }
        return all;
    }

    /** The worker's offset flush: tells the task its offsets are stored. */
    public void commitOffsets() throws InterruptedException {
        task.commit();
    }

    private static String summary(List<SourceRecord> records) {
        return records.stream()
                .limit(20)
                .map(r -> String.valueOf(r.value()))
                .toList()
                .toString();
    }

    public void stopTask() {
        if (task != null) {
            task.stop();
            task = null;
        }
    }

    @Override
    public void close() {
        stopTask();
        connector.stop();
    }
}
