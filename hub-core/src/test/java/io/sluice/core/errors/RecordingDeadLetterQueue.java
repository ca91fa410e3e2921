package io.sluice.core.errors;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Keeps what was sent; each send's future is completed by the test or at once. */
final class RecordingDeadLetterQueue implements DeadLetterQueue {

    final List<Record> sent = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
    boolean completeAtOnce = true;

    @Override
    public CompletableFuture<Void> send(Record record) {
        sent.add(record);
        CompletableFuture<Void> future =
                completeAtOnce ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
        futures.add(future);
        return future;
    }

    static Map<String, String> headersAsText(Record record) {
        return record.headers().stream()
                .collect(Collectors.toMap(RawHeader::key, h -> new String(h.value(), StandardCharsets.UTF_8)));
    }
}
