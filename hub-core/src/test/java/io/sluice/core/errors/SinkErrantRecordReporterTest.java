package io.sluice.core.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.Test;

class SinkErrantRecordReporterTest {

    final ErrorCounters counters = new ErrorCounters();
    final RecordingDeadLetterQueue dlq = new RecordingDeadLetterQueue();

    SinkErrantRecordReporter reporter(Map<String, String> settings) {
        ErrorHandlingConfig config = ErrorHandlingConfig.from(settings);
        StageExecutor executor = new StageExecutor(
                "es-sink", 1, config, StageExecutor.reportersFor(config, dlq, counters), counters, new FakeClock());
        StringConverter key = new StringConverter();
        key.configure(Map.of(), true);
        StringConverter value = new StringConverter();
        value.configure(Map.of(), false);
        return new SinkErrantRecordReporter(executor, key, value, new SimpleHeaderConverter());
    }

    static SinkRecord record() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("source", "pg");
        // a transformation renamed the topic; the original coordinates must be reported
        return new SinkRecord(
                "renamed",
                0,
                Schema.STRING_SCHEMA,
                "id-7",
                Schema.STRING_SCHEMA,
                "doc-7",
                99L,
                null,
                TimestampType.NO_TIMESTAMP_TYPE,
                headers,
                "orders",
                4,
                17L);
    }

    @Test
    void shouldDeadLetterTheRecordAtItsOriginalCoordinates() throws Exception {
        SinkErrantRecordReporter reporter = reporter(Map.of(
                "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", "es-dlq",
                "errors.deadletterqueue.context.headers.enable", "true"));

        Future<Void> done = reporter.report(record(), new IllegalArgumentException("mapping conflict"));

        done.get();
        DeadLetterQueue.Record sent = dlq.sent.get(0);
        assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo("id-7");
        assertThat(new String(sent.value(), StandardCharsets.UTF_8)).isEqualTo("doc-7");
        assertThat(RecordingDeadLetterQueue.headersAsText(sent))
                .containsEntry("source", "pg")
                .containsEntry("__connect.errors.topic", "orders")
                .containsEntry("__connect.errors.partition", "4")
                .containsEntry("__connect.errors.offset", "17")
                .containsEntry("__connect.errors.stage", "TASK_PUT")
                .containsEntry("__connect.errors.exception.message", "mapping conflict");
        assertThat(counters.skippedRecords.sum()).isEqualTo(1);
    }

    @Test
    void shouldFailTheTaskUnderToleranceNone() {
        SinkErrantRecordReporter reporter = reporter(Map.of("errors.deadletterqueue.topic.name", "es-dlq"));

        assertThatThrownBy(() -> reporter.report(record(), new IllegalArgumentException("mapping conflict")))
                .isInstanceOf(ToleranceExceededException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(dlq.sent).isEmpty();
    }

    @Test
    void shouldLetTheWorkerWaitForPendingReportsBeforeCommitting() throws Exception {
        dlq.completeAtOnce = false;
        SinkErrantRecordReporter reporter =
                reporter(Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "es-dlq"));
        Future<Void> done = reporter.report(record(), new IllegalArgumentException("x"));

        assertThatThrownBy(() -> reporter.awaitReported(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class);
        assertThat(done).isNotDone();

        dlq.futures.get(0).complete(null);
        reporter.awaitReported(Duration.ofSeconds(5));
        assertThat(done).isDone();
        assertThat(counters.deadLetterRecords.sum()).isEqualTo(1);
    }

    @Test
    void shouldCountADeadLetterQueueFailureWithoutThrowing() {
        dlq.completeAtOnce = false;
        SinkErrantRecordReporter reporter =
                reporter(Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "es-dlq"));
        Future<Void> done = reporter.report(record(), new IllegalArgumentException("x"));

        dlq.futures.get(0).completeExceptionally(new IllegalStateException("log unavailable"));

        assertThat((java.util.concurrent.CompletableFuture<Void>) done).isCompletedExceptionally();
        assertThat(counters.deadLetterFailures.sum()).isEqualTo(1);
        assertThat(counters.deadLetterRecords.sum()).isZero();
    }
}
