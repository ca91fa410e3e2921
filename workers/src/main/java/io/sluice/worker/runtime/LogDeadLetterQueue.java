package io.sluice.worker.runtime;

import io.sluice.core.errors.DeadLetterQueue;
import io.sluice.core.errors.RawHeader;
import io.sluice.log.Header;
import io.sluice.log.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Dead-letter queue on the hub's log: the topic is created on first use (one partition), each record
 * appended with the {@code __connect.errors.*} headers. Appends are synchronous and durable per the
 * topic's flush policy, so the returned future is already complete. Thread-safe.
 */
final class LogDeadLetterQueue implements DeadLetterQueue {

    private final Log log;

    LogDeadLetterQueue(Log log) {
        this.log = log;
    }

    @Override
    public CompletableFuture<Void> send(DeadLetterQueue.Record record) {
        try {
            log.createTopic(record.topic(), Map.of());
            List<Header> headers = new ArrayList<>();
            for (RawHeader h : record.headers()) {
                headers.add(new Header(h.key(), h.value()));
            }
            log.partition(record.topic(), 0)
                    .append(List.of(new io.sluice.log.Record(
                            record.key(), record.value(), headers, System.currentTimeMillis())));
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
