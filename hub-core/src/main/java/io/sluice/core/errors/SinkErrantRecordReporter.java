package io.sluice.core.errors;

import io.sluice.core.plugin.LoaderSwap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

/**
 * The {@link ErrantRecordReporter} handed to sink tasks: a record the task could not write is
 * serialised back with the connector's converters and reported through the {@link StageExecutor}
 * (log, dead-letter queue), at the record's original topic, partition and offset.
 *
 * <p>Thread-safe: a sink may report from its own threads. Before committing offsets the worker
 * calls {@link #awaitReported}, so no offset is committed ahead of its dead-lettered records.
 */
public final class SinkErrantRecordReporter implements ErrantRecordReporter {

    private final StageExecutor executor;
    private final Converter keyConverter;
    private final Converter valueConverter;
    private final HeaderConverter headerConverter;
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> pending = new ConcurrentLinkedQueue<>();

    public SinkErrantRecordReporter(
            StageExecutor executor, Converter keyConverter, Converter valueConverter, HeaderConverter headerConverter) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.keyConverter = Objects.requireNonNull(keyConverter, "keyConverter");
        this.valueConverter = Objects.requireNonNull(valueConverter, "valueConverter");
        this.headerConverter = Objects.requireNonNull(headerConverter, "headerConverter");
    }

    /**
     * @throws ToleranceExceededException under {@code errors.tolerance=none}: the task fails
     */
    @Override
    public Future<Void> report(SinkRecord record, Throwable error) {
        CompletableFuture<Void> reported =
                executor.reportFailed(original(record), Stage.TASK_PUT, SinkTask.class, error);
        pending.add(reported);
        reported.whenComplete((ok, e) -> pending.remove(reported));
        return reported;
    }

    /**
     * Waits until every report made so far is recorded.
     *
     * @throws TimeoutException if some are still pending after {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitReported(Duration timeout) throws InterruptedException, TimeoutException {
        List<CompletableFuture<Void>> snapshot = new ArrayList<>(pending);
        try {
            CompletableFuture.allOf(snapshot.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // a failed report was counted and logged by its reporter; the wait is what matters here
        }
    }

    private OriginalRecord original(SinkRecord record) {
        String topic = record.originalTopic();
        List<RawHeader> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            byte[] bytes = serialise(
                    () -> headerConverter.fromConnectHeader(topic, header.key(), header.schema(), header.value()),
                    headerConverter);
            headers.add(new RawHeader(header.key(), bytes));
        }
        byte[] key =
                serialise(() -> keyConverter.fromConnectData(topic, record.keySchema(), record.key()), keyConverter);
        byte[] value = serialise(
                () -> valueConverter.fromConnectData(topic, record.valueSchema(), record.value()), valueConverter);
        return new OriginalRecord(
                topic, record.originalKafkaPartition(), record.originalKafkaOffset(), key, value, headers);
    }

    /** Serialises with the converter's loader; a record that cannot be serialised is reported without it. */
    private static byte[] serialise(java.util.function.Supplier<byte[]> conversion, Object converter) {
        try (LoaderSwap ignored = LoaderSwap.toLoaderOf(converter)) {
            return conversion.get();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
