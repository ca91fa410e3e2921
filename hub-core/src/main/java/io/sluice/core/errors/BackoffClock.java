package io.sluice.core.errors;

/**
 * Time as the retry loop sees it, so tests can run backoff without waiting. Implementations must be
 * thread-safe.
 */
public interface BackoffClock {

    /** Wall-clock milliseconds. */
    long nowMillis();

    /**
     * Waits {@code millis}; must be interruptible and must throw {@link InterruptedException} (not
     * swallow it) when the thread is interrupted.
     */
    void sleep(long millis) throws InterruptedException;

    /** The system clock with {@link Thread#sleep}. */
    BackoffClock SYSTEM = new BackoffClock() {
        @Override
        public long nowMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }
    };
}
