/**
 * The runtime model shared by workers and the REST API: plugins, connector configuration and its
 * validation, converters, transformation chains, error handling, secrets, status and restart
 * policy, the {@code ConnectorService} interface and metric names. Depends only on Kafka's
 * connect-api, connect-json and connect-transforms (with the kafka-clients they bring) and SLF4J;
 * never on Spring or on the log module.
 */
package io.sluice.core;
