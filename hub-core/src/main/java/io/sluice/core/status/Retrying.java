package io.sluice.core.status;

import java.time.Instant;
import java.util.Objects;

/**
 * A running task that cannot make progress for a reason expected to pass (an endpoint down, a
 * throttled service): it keeps trying with backoff while its status carries the last error and
 * since when it has been failing. Immutable.
 *
 * @param error the last error, one line (class and message of its root cause)
 * @param since when the first of the current run of failures happened
 */
public record Retrying(String error, Instant since) {

    public Retrying {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(since, "since");
    }
}
