package io.sluice.connect.elasticsearch.bulk;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, capped. Stateless. */
record Backoff(long initialMs, long maxMs) {

    /** How long to wait before retry number {@code attempt} (1-based). */
    long delayMs(int attempt) {
        long ceiling = initialMs << Math.min(attempt - 1, 30);
        if (ceiling <= 0 || ceiling > maxMs) {
            ceiling = maxMs;
        }
        // Half fixed, half random: retries from several tasks spread out but never come back at once.
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }
}
