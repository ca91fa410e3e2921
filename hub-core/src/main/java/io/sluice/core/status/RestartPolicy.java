package io.sluice.core.status;

import io.sluice.core.config.RestartConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Decides whether and when a failed task is restarted automatically, from {@code sluice.restart.*}:
 * the n-th consecutive attempt waits {@code initial * 2^(n-1)}, capped at the maximum, spread by
 * ±{@code jitter}; after {@code max.attempts} the task stays FAILED. A task that ran for {@code
 * reset.after} before failing starts again from the first attempt.
 *
 * <p>Thread-safe if the random source is (the default is {@link Math#random()}).
 */
public final class RestartPolicy {

    private final RestartConfig config;
    private final DoubleSupplier random;

    public RestartPolicy(RestartConfig config) {
        this(config, Math::random);
    }

    /** @param random values in [0, 1), e.g. a seeded generator in tests */
    public RestartPolicy(RestartConfig config, DoubleSupplier random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * The wait before restarting a task that failed at {@code failedAt} after starting at {@code
     * startedAt}, or empty if it must stay FAILED. Does not record anything: call {@link
     * RestartHistory#recordAutomatic} when the restart happens.
     */
    public Optional<Duration> nextRestart(RestartHistory history, Instant startedAt, Instant failedAt) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        if (Duration.between(startedAt, failedAt).compareTo(config.resetAfter()) >= 0) {
            history.resetAttempts();
        }
        int attempt = history.consecutiveAttempts() + 1;
        if (config.maxAttempts() >= 0 && attempt > config.maxAttempts()) {
            return Optional.empty();
        }
        return Optional.of(backoff(attempt));
    }

    /** The jittered wait before the given attempt (1-based). */
    Duration backoff(int attempt) {
        long initial = config.initialBackoff().toMillis();
        long max = config.maxBackoff().toMillis();
        long base = initial;
        for (int i = 1; i < attempt && base < max; i++) {
            base = base * 2;
        }
        base = Math.min(base, max);
        double spread = config.jitter() * (2 * random.getAsDouble() - 1); // in [-jitter, +jitter)
        long jittered = Math.round(base * (1 + spread));
        return Duration.ofMillis(Math.max(0, Math.min(jittered, max)));
    }
}
