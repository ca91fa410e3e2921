package io.sluice.core.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

class StageExecutorTest {

    final FakeClock clock = new FakeClock();
    final ErrorCounters counters = new ErrorCounters();
    final RecordingDeadLetterQueue dlq = new RecordingDeadLetterQueue();

    static final OriginalRecord RECORD = new OriginalRecord(
            "orders",
            2,
            41L,
            "k".getBytes(StandardCharsets.UTF_8),
            "{bad json".getBytes(StandardCharsets.UTF_8),
            List.of(RawHeader.utf8("trace", "abc")));

    StageExecutor executor(Map<String, String> settings) {
        ErrorHandlingConfig config = ErrorHandlingConfig.from(settings);
        return new StageExecutor(
                "orders-sink", 3, config, StageExecutor.reportersFor(config, dlq, counters), counters, clock);
    }

    static java.util.concurrent.Callable<String> failingTimes(int failures, AtomicInteger calls) {
        return () -> {
            if (calls.incrementAndGet() <= failures) {
                throw new RetriableException("not yet");
            }
            return "done";
        };
    }

    @Test
    void shouldRetryRetriableFailuresWithExponentialBackoffCappedByMaxDelay() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        StageExecutor executor = executor(Map.of("errors.retry.timeout", "60000", "errors.retry.delay.max.ms", "1000"));

        Outcome<String> outcome = executor.execute(RECORD, Stage.TRANSFORMATION, Object.class, failingTimes(4, calls));

        assertThat(outcome.value()).isEqualTo("done");
        assertThat(outcome.failed()).isFalse();
        assertThat(clock.sleeps).containsExactly(300L, 600L, 1000L, 1000L);
        assertThat(calls).hasValue(5);
        assertThat(counters.retries.sum()).isEqualTo(4);
        assertThat(counters.failures.sum()).isZero();
    }

    @Test
    void shouldStopRetryingWhenTheTimeoutIsUsedUpAndFailTheTaskUnderToleranceNone() {
        AtomicInteger calls = new AtomicInteger();
        StageExecutor executor = executor(Map.of("errors.retry.timeout", "2000"));

        assertThatThrownBy(() -> executor.execute(
                        RECORD, Stage.VALUE_CONVERTER, JsonConverter.class, failingTimes(Integer.MAX_VALUE, calls)))
                .isInstanceOf(ToleranceExceededException.class)
                .hasCauseInstanceOf(RetriableException.class)
                .hasMessageContaining("VALUE_CONVERTER");
        // the last wait is shortened to the time left: 300 + 600 + 1100 = 2000
        assertThat(clock.sleeps).containsExactly(300L, 600L, 1100L);
        assertThat(calls).hasValue(4);
        assertThat(dlq.sent).isEmpty();
    }

    @Test
    void shouldNotRetryWithTheDefaultTimeoutOfZero() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() ->
                        executor(Map.of()).execute(RECORD, Stage.TRANSFORMATION, Object.class, failingTimes(1, calls)))
                .isInstanceOf(ToleranceExceededException.class);
        assertThat(calls).hasValue(1);
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void shouldRetryForeverWithTimeoutMinusOne() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        StageExecutor executor = executor(Map.of("errors.retry.timeout", "-1", "errors.retry.delay.max.ms", "5000"));

        Outcome<String> outcome = executor.execute(RECORD, Stage.TASK_PUT, Object.class, failingTimes(6, calls));

        assertThat(outcome.value()).isEqualTo("done");
        assertThat(clock.sleeps).containsExactly(300L, 600L, 1200L, 2400L, 4800L, 5000L);
    }

    @Test
    void shouldNotRetryNonRetriableFailures() {
        AtomicInteger calls = new AtomicInteger();
        StageExecutor executor = executor(Map.of("errors.retry.timeout", "60000"));

        assertThatThrownBy(() -> executor.execute(RECORD, Stage.VALUE_CONVERTER, JsonConverter.class, () -> {
                    calls.incrementAndGet();
                    throw new DataException("Converting byte[] to Kafka Connect data failed");
                }))
                .isInstanceOf(ToleranceExceededException.class)
                .hasCauseInstanceOf(DataException.class);
        assertThat(calls).hasValue(1);
        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void shouldSkipCountAndDeadLetterARecordUnderToleranceAll() throws Exception {
        StageExecutor executor = executor(Map.of(
                "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", "orders-dlq",
                "errors.deadletterqueue.context.headers.enable", "true"));

        Outcome<Object> outcome = executor.execute(RECORD, Stage.VALUE_CONVERTER, JsonConverter.class, () -> {
            throw new DataException("Unexpected character");
        });

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.error()).isInstanceOf(DataException.class);
        assertThat(counters.failures.sum()).isEqualTo(1);
        assertThat(counters.skippedRecords.sum()).isEqualTo(1);
        assertThat(counters.deadLetterRecords.sum()).isEqualTo(1);
        DeadLetterQueue.Record sent = dlq.sent.get(0);
        assertThat(sent.topic()).isEqualTo("orders-dlq");
        assertThat(sent.key()).isEqualTo(RECORD.key());
        assertThat(sent.value()).isEqualTo(RECORD.value());
        assertThat(RecordingDeadLetterQueue.headersAsText(sent))
                .containsEntry("trace", "abc")
                .containsEntry("__connect.errors.topic", "orders")
                .containsEntry("__connect.errors.partition", "2")
                .containsEntry("__connect.errors.offset", "41")
                .containsEntry("__connect.errors.connector.name", "orders-sink")
                .containsEntry("__connect.errors.task.id", "3")
                .containsEntry("__connect.errors.stage", "VALUE_CONVERTER")
                .containsEntry("__connect.errors.class.name", JsonConverter.class.getName())
                .containsEntry("__connect.errors.exception.class.name", DataException.class.getName())
                .containsEntry("__connect.errors.exception.message", "Unexpected character")
                .hasEntrySatisfying(
                        "__connect.errors.exception.stacktrace",
                        trace -> assertThat(trace)
                                .startsWith(DataException.class.getName() + ": Unexpected character")
                                .contains("StageExecutorTest"));
    }

    @Test
    void shouldSendOnlyOriginalHeadersWhenContextHeadersAreOff() throws Exception {
        StageExecutor executor =
                executor(Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "dlq"));

        executor.execute(RECORD, Stage.TRANSFORMATION, Object.class, () -> {
            throw new IllegalStateException("boom");
        });

        assertThat(dlq.sent)
                .singleElement()
                .satisfies(
                        r -> assertThat(r.headers()).extracting(RawHeader::key).containsExactly("trace"));
    }

    @Test
    void shouldNeverTolerateFailuresOfTheTaskItself() {
        StageExecutor executor =
                executor(Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "dlq"));

        assertThatThrownBy(() -> executor.execute(RECORD, Stage.TASK_PUT, Object.class, () -> {
                    throw new IllegalStateException("sink down");
                }))
                .isInstanceOf(ToleranceExceededException.class)
                .hasRootCauseMessage("sink down");
        assertThat(dlq.sent).isEmpty();
    }

    @Test
    void shouldPropagateInterruptionDuringBackoff() {
        ErrorHandlingConfig config = ErrorHandlingConfig.from(Map.of("errors.retry.timeout", "60000"));
        StageExecutor executor = new StageExecutor("c", 0, config, List.of(), counters, BackoffClock.SYSTEM);
        AtomicInteger calls = new AtomicInteger();

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> executor.execute(
                            RECORD, Stage.TRANSFORMATION, Object.class, failingTimes(Integer.MAX_VALUE, calls)))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldRetryNoMoreOnceTheClockPassesTheDeadlineDuringTheOperation() {
        AtomicInteger calls = new AtomicInteger();
        StageExecutor executor = executor(Map.of("errors.retry.timeout", "1000", "errors.tolerance", "all"));

        assertThatThrownBy(() -> executor.execute(RECORD, Stage.TASK_POLL, Object.class, () -> {
                    calls.incrementAndGet();
                    clock.now += 5_000; // a slow attempt uses up the whole timeout
                    throw new RetriableException("slow");
                }))
                .isInstanceOf(ToleranceExceededException.class);
        assertThat(calls).hasValue(1);
    }
}
