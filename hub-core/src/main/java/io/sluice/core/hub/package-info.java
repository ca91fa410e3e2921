/**
 * The hub's own read-only view for operators and the UI (the REST API's {@code /hub/} endpoints):
 * workers, topics of the log, records of a partition, per-connector throughput and lag, and a
 * subscription to connector and task state changes. {@link io.sluice.core.hub.HubQueries} is the
 * interface the worker implements; everything else is an immutable result record.
 *
 * <p>Depends on {@code io.sluice.core.status} and {@code io.sluice.core.service} (for its exceptions).
 */
package io.sluice.core.hub;
