package io.sluice.worker.cluster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.ratis.client.retry.ClientRetryEvent;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

/**
 * How the metadata group's writers retry a request that did not reach a leader: every 100 ms until
 * the write timeout, but no longer than {@link #NO_LEADER_MILLIS} while this worker knows no leader
 * at all (no majority elects one). A request given up on is never sent again, so a change that was
 * reported as failed cannot be applied later because a retry reached a leader that came back.
 * Thread-safe.
 */
final class WriteRetry implements RetryPolicy {

    /** How long a write waits for a leader to be elected before it fails as "no quorum". */
    static final long NO_LEADER_MILLIS = 3_000;

    private static final Action SOON = () -> TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

    private final long timeoutMillis;
    private final BooleanSupplier leaderKnown;
    private final LongSupplier clock;
    /** Raft client call id → when its first attempt failed. */
    private final Map<Long, Long> firstFailure = new ConcurrentHashMap<>();

    WriteRetry(long timeoutMillis, BooleanSupplier leaderKnown, LongSupplier clock) {
        this.timeoutMillis = timeoutMillis;
        this.leaderKnown = leaderKnown;
        this.clock = clock;
    }

    @Override
    public Action handleAttemptFailure(Event event) {
        long now = clock.getAsLong();
        long call = event instanceof ClientRetryEvent c ? c.getRequest().getCallId() : -1;
        if (firstFailure.size() > 1_000) {
            firstFailure.values().removeIf(at -> now - at > 2 * timeoutMillis);
        }
        long since = now - firstFailure.computeIfAbsent(call, c -> now);
        if (since >= timeoutMillis || (since >= NO_LEADER_MILLIS && !leaderKnown.getAsBoolean())) {
            firstFailure.remove(call);
            return NO_RETRY_ACTION;
        }
        return SOON;
    }
}
