package io.sluice.core.errors;

import java.util.concurrent.CompletableFuture;

/**
 * Receives failed operations that were tolerated. Implementations must be thread-safe (one task's
 * thread and a sink's own threads may report at once) and must not throw.
 */
public interface ErrorReporter {

    /** Reports the failure; the future completes when it is durably recorded (or failed to be). */
    CompletableFuture<Void> report(FailedOperation failure);
}
