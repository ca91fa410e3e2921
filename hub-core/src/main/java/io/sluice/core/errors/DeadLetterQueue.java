package io.sluice.core.errors;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where dead-lettered records are written; implemented by the worker on the hub's log (creating the
 * topic on first use with the configured replication factor).
 *
 * <p>Implementations must be thread-safe and non-blocking: {@link #send} returns at once.
 */
public interface DeadLetterQueue {

    /** A record to append to the dead-letter topic. */
    record Record(String topic, byte[] key, byte[] value, List<RawHeader> headers) {
        public Record {
            headers = List.copyOf(headers);
        }
    }

    /** Appends {@code record}; the future completes once it is acknowledged. */
    CompletableFuture<Void> send(Record record);
}
