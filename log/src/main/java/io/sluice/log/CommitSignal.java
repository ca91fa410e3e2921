package io.sluice.log;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Wakes readers waiting on any of many partitions: every time a partition's commit point moves, the
 * version goes up. A reader notes {@link #version()}, fetches from all its partitions, and if they
 * were all empty waits with {@link #awaitChange} for anything new. Thread-safe.
 */
public final class CommitSignal {

    private long version;

    public synchronized long version() {
        return version;
    }

    synchronized void signal() {
        version++;
        notifyAll();
    }

    /** Waits until the version differs from {@code seen} or {@code maxWait} passes; returns the version. */
    public synchronized long awaitChange(long seen, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (version == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return version;
    }
}
