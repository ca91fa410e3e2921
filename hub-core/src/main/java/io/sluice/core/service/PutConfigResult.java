package io.sluice.core.service;

/** The outcome of {@code PUT /connectors/{name}/config}: whether it created the connector (201). */
public record PutConfigResult(boolean created, ConnectorInfo info) {}
