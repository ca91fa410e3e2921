package io.sluice.worker.task;

import io.sluice.log.AppendResult;
import io.sluice.log.Record;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where source tasks write: creates topics on first use, appends record batches and makes them
 * durable. On a single worker it is the worker's own log ({@link LocalTopicWriter}); in a cluster
 * the replicated partitions, where appends carry the task's producer id and assignment epoch so a
 * task that lost its assignment is fenced.
 *
 * <p>Implementations are thread-safe.
 */
public interface TopicWriter {

    /**
     * Makes sure {@code topic} exists (created with {@code settings} when missing) and returns its
     * partition count.
     */
    int ensure(String topic, Supplier<Map<String, String>> settings);

    /**
     * Appends {@code records} to one partition as one batch.
     *
     * @param producerId the writing task's id, stable across workers ({@link #producerId})
     * @param epoch the epoch of the task's assignment ({@link TaskRunner#epoch()})
     * @throws io.sluice.log.replication.StaleEpochException when a newer assignment of the task wrote
     */
    AppendResult append(String topic, int partition, List<Record> records, long producerId, long epoch);

    /** Makes what was appended to a partition durable (before source offsets are stored). */
    void flush(String topic, int partition);

    /** A task's producer id: the same on every worker for one connector's task. */
    static long producerId(String connector, int task) {
        byte[] name = ("sluice-task\0" + connector + "\0" + task).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.UUID.nameUUIDFromBytes(name).getMostSignificantBits() & Long.MAX_VALUE;
    }
}
