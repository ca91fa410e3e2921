package io.sluice.worker.runtime;

import io.sluice.core.errors.DeadLetterQueue;
import io.sluice.core.errors.RawHeader;
import io.sluice.log.Header;
import io.sluice.log.TopicConfig;
import io.sluice.worker.task.TopicWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Dead-letter queue on the hub's log, written through the same {@link TopicWriter} as source tasks'
 * topics: on a single worker the worker's log, in a cluster a replicated topic like any data topic
 * (replicated over the workers and listed in the cluster's topic registry), so its records outlive the
 * worker of the task that wrote them and can be read from any worker. The topic is created on first
 * use (one partition); each record is appended with the {@code __connect.errors.*} headers. Appends
 * are not fenced (the records of a task that lost its assignment are kept too). Appends are
 * synchronous and durable (on one worker per the topic's flush policy, in a cluster on a majority of
 * the replicas), so the returned future is already complete. Thread-safe.
 */
final class LogDeadLetterQueue implements DeadLetterQueue {

    /** Producer ids below zero are not fenced. */
    private static final long UNFENCED = -1;

    private final TopicWriter writer;

    LogDeadLetterQueue(TopicWriter writer) {
        this.writer = writer;
    }

    @Override
    public CompletableFuture<Void> send(DeadLetterQueue.Record record) {
        try {
            writer.ensure(record.topic(), () -> Map.of(TopicConfig.PARTITIONS, "1"));
            List<Header> headers = new ArrayList<>();
            for (RawHeader h : record.headers()) {
                headers.add(new Header(h.key(), h.value()));
            }
            writer.append(
                    record.topic(),
                    0,
                    List.of(new io.sluice.log.Record(
                            record.key(), record.value(), headers, System.currentTimeMillis())),
                    UNFENCED,
                    0);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
