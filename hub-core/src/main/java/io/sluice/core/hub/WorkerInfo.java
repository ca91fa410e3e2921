package io.sluice.core.hub;

import java.time.Instant;

/**
 * One worker of the cluster as the hub shows it. Immutable.
 *
 * @param id the worker id that statuses report ({@code worker_id})
 * @param state {@code RUNNING} while it heart-beats
 * @param connectors connectors running on it
 * @param tasks tasks running on it
 */
public record WorkerInfo(String id, String state, String version, Instant startedAt, int connectors, int tasks) {}
