package io.sluice.connect.s3.upload;

/**
 * Exponential backoff between attempts of something that keeps failing: the first retry waits
 * {@code initialMs}, each later one twice as long, never more than {@code maxMs}. A success resets
 * it. Not thread-safe.
 */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private int failures;
    private long nextAttemptAt;

    public Backoff(long initialMs, long maxMs) {
        this.initialMs = Math.max(1, initialMs);
        this.maxMs = Math.max(this.initialMs, maxMs);
    }

    /** Whether an attempt may be made at {@code nowMs}. */
    public boolean ready(long nowMs) {
        return nowMs >= nextAttemptAt;
    }

    /** Milliseconds until the next attempt may be made, 0 if now. */
    public long remainingMs(long nowMs) {
        return Math.max(0, nextAttemptAt - nowMs);
    }

    public void failed(long nowMs) {
        long delay = Math.min(maxMs, initialMs << Math.min(failures, 30));
        failures++;
        nextAttemptAt = nowMs + delay;
    }

    public void succeeded() {
        failures = 0;
        nextAttemptAt = 0;
    }

    public int failures() {
        return failures;
    }
}
