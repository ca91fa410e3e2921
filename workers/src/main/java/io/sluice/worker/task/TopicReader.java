package io.sluice.worker.task;

import io.sluice.log.FetchResult;
import io.sluice.log.OffsetOutOfRangeException;
import java.time.Duration;
import java.util.Set;

/**
 * Where sink tasks read data topics. On a single worker, the worker's log; in a cluster, every
 * replicated partition wherever it lives: this worker's replica when it holds a caught-up one,
 * otherwise the partition's leader on another worker. Either way only committed
 * (majority-acknowledged) records are returned.
 *
 * <p>Implementations are thread-safe; {@link #fetch} may block on the network (bounded by the
 * replication operation timeout).
 */
public interface TopicReader {

    /** The data topics that exist now (in a cluster: on any worker). */
    Set<String> topics();

    /** How many partitions {@code topic} has, or 0 when it is not known. */
    int partitions(String topic);

    /**
     * Committed batches of a partition from {@code offset}: at least one whole batch if any.
     *
     * @throws OffsetOutOfRangeException when {@code offset} is below the log start or past its end
     */
    FetchResult fetch(String topic, int partition, long offset, int maxBytes);

    /**
     * The end offset (high watermark) of a partition as far as this reader knows it without a fetch,
     * or -1 when it would need one (then the last fetch's high watermark is the best estimate).
     */
    default long endOffset(String topic, int partition) {
        return -1;
    }

    /** A value that changes when records may have been committed to any partition read here. */
    long version();

    /** Waits until {@link #version()} differs from {@code seen} or {@code maxWait} passed. */
    void awaitChange(long seen, Duration maxWait) throws InterruptedException;
}
