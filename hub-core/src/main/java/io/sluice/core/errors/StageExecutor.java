package io.sluice.core.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage of a task's pipeline under the connector's error handling.
 *
 * <p>A {@link RetriableException} is retried until {@code errors.retry.timeout} has passed, waiting
 * 300 ms, then twice as long each time, capped by {@code errors.retry.delay.max.ms} and by the time
 * left. When the operation fails for good: with {@code errors.tolerance=none}, or in a stage that
 * cannot be tolerated ({@link Stage#tolerable()}), a {@link ToleranceExceededException} carrying the
 * cause is thrown and the task must fail; with {@code all}, the failure is counted, handed to every
 * {@link ErrorReporter} (log, dead-letter queue) and the record is skipped.
 *
 * <p>Backoff sleeps are interruptible: an interrupt ends the retries with {@link
 * InterruptedException}, never swallowed. Thread-safe if its reporters are; normally one per task.
 */
public final class StageExecutor {

    private static final Logger log = LoggerFactory.getLogger(StageExecutor.class);

    /** The first wait between retries. */
    public static final long INITIAL_RETRY_DELAY_MS = 300L;

    private final String connector;
    private final int task;
    private final ErrorHandlingConfig config;
    private final List<ErrorReporter> reporters;
    private final ErrorCounters counters;
    private final BackoffClock clock;

    public StageExecutor(
            String connector,
            int task,
            ErrorHandlingConfig config,
            List<ErrorReporter> reporters,
            ErrorCounters counters,
            BackoffClock clock) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.task = task;
        this.config = Objects.requireNonNull(config, "config");
        this.reporters = List.copyOf(reporters);
        this.counters = Objects.requireNonNull(counters, "counters");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs {@code operation} for {@code record} in {@code stage}.
     *
     * @return the operation's value, or a {@link Outcome#failed() failed} outcome if the record was
     *     skipped under {@code errors.tolerance=all}
     * @throws ToleranceExceededException if the failure may not be tolerated
     * @throws InterruptedException if interrupted while waiting to retry or inside the operation
     */
    public <V> Outcome<V> execute(OriginalRecord record, Stage stage, Class<?> executingClass, Callable<V> operation)
            throws InterruptedException {
        long start = clock.nowMillis();
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                return Outcome.success(operation.call());
            } catch (InterruptedException e) {
                throw e;
            } catch (RetriableException e) {
                long delay = nextDelay(start, attempt);
                if (delay < 0) {
                    return fail(new FailedOperation(connector, task, record, stage, executingClass, e, attempt));
                }
                counters.retries.increment();
                log.debug("Retrying {} in {} ms after attempt {} failed: {}", stage, delay, attempt, e.toString());
                clock.sleep(delay);
            } catch (Exception e) {
                return fail(new FailedOperation(connector, task, record, stage, executingClass, e, attempt));
            }
        }
    }

    /**
     * Handles an error that happened outside {@link #execute}, e.g. reported by a sink task: counted,
     * reported and tolerated regardless of stage under {@code errors.tolerance=all}.
     *
     * @return completes when every reporter has recorded the failure
     * @throws ToleranceExceededException under {@code errors.tolerance=none}
     */
    public CompletableFuture<Void> reportFailed(
            OriginalRecord record, Stage stage, Class<?> executingClass, Throwable error) {
        counters.failures.increment();
        FailedOperation failure = new FailedOperation(connector, task, record, stage, executingClass, error, 1);
        if (config.tolerance() == ToleranceType.NONE) {
            throw new ToleranceExceededException("Tolerance exceeded in error handler", error);
        }
        counters.skippedRecords.increment();
        return report(failure);
    }

    /** The wait before the next attempt, or -1 if no retry is left. */
    private long nextDelay(long start, int attempt) {
        if (config.retryTimeout() == null) {
            return backoff(attempt);
        }
        long remaining = start + config.retryTimeout().toMillis() - clock.nowMillis();
        if (remaining <= 0) {
            return -1;
        }
        return Math.min(backoff(attempt), remaining);
    }

    private long backoff(int attempt) {
        long max = config.maxRetryDelay().toMillis();
        int shift = Math.min(attempt - 1, 30);
        return Math.min(INITIAL_RETRY_DELAY_MS << shift, max);
    }

    private <V> Outcome<V> fail(FailedOperation failure) {
        counters.failures.increment();
        if (config.tolerance() == ToleranceType.NONE || !failure.stage().tolerable()) {
            throw new ToleranceExceededException(
                    "Tolerance exceeded in error handler at stage " + failure.stage() + " ("
                            + failure.executingClass().getName() + ")",
                    failure.error());
        }
        counters.skippedRecords.increment();
        report(failure);
        return Outcome.skipped(failure.error());
    }

    private CompletableFuture<Void> report(FailedOperation failure) {
        List<CompletableFuture<Void>> reports = new ArrayList<>();
        for (ErrorReporter reporter : reporters) {
            reports.add(reporter.report(failure));
        }
        return CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new));
    }

    /**
     * The reporters a connector's settings ask for: a {@link LogReporter} when {@code
     * errors.log.enable}, a {@link DeadLetterQueueReporter} when a dead-letter topic is set.
     */
    public static List<ErrorReporter> reportersFor(
            ErrorHandlingConfig config, DeadLetterQueue deadLetterQueue, ErrorCounters counters) {
        List<ErrorReporter> reporters = new ArrayList<>();
        if (config.logEnabled()) {
            reporters.add(new LogReporter(config.logIncludeMessages(), counters));
        }
        if (config.deadLetterQueueEnabled()) {
            reporters.add(new DeadLetterQueueReporter(deadLetterQueue, config, counters));
        }
        return reporters;
    }
}
