package io.sluice.core.errors;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of one task's error handling, for the worker to publish as metrics. Thread-safe.
 */
public final class ErrorCounters {

    /** Operations that failed for good (after any retries), tolerated or not. */
    public final LongAdder failures = new LongAdder();
    /** Retries of retriable failures. */
    public final LongAdder retries = new LongAdder();
    /** Records skipped because their failure was tolerated. */
    public final LongAdder skippedRecords = new LongAdder();
    /** Failures written to the log. */
    public final LongAdder errorsLogged = new LongAdder();
    /** Records acknowledged by the dead-letter queue. */
    public final LongAdder deadLetterRecords = new LongAdder();
    /** Records the dead-letter queue failed to take. */
    public final LongAdder deadLetterFailures = new LongAdder();
}
