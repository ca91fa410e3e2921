/**
 * Kafka Connect's {@code /connectors} endpoints: create, read, configure, delete, status, tasks,
 * restarts, target states, active topics and offsets, with Kafka's paths, status codes and JSON
 * field names ({@link io.sluice.rest.connectors.ConnectorJson}).
 *
 * <p>Depends on {@code io.sluice.core.service} and {@code io.sluice.rest.errors}.
 */
package io.sluice.rest.connectors;
