/**
 * The worker's health as probes see it: the {@code cluster} contribution (membership of the metadata
 * group) beside the log's, grouped into Spring Boot's liveness and readiness groups by the worker's
 * properties. May depend on {@code worker.cluster}.
 */
package io.sluice.worker.health;
