/**
 * Kafka-Connect-compatible REST API plus the hub's own endpoints, wired by {@link
 * io.sluice.rest.RestApiAutoConfiguration} into the worker. Talks to the runtime through hub-core
 * interfaces only ({@code ConnectorService}, {@code HubQueries}); one sub-package per feature.
 */
package io.sluice.rest;
