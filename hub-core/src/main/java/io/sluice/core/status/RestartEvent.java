package io.sluice.core.status;

import java.time.Instant;

/**
 * One restart of a task. Immutable.
 *
 * @param attempt the consecutive automatic attempt number (1 for the first after a failure), or 0
 *     for a restart requested by a user
 */
public record RestartEvent(Instant at, String reason, int attempt) {}
