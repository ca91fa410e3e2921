/**
 * Connector config validation with Kafka Connect's result model ({@code ConfigInfos}): merges the
 * connector-level definitions, the enriched transform/predicate settings and the connector's own
 * {@code validate()}, and reports every error at once, each on the setting it concerns.
 *
 * <p>Depends on {@code io.sluice.core.config} and {@code io.sluice.core.plugin}.
 */
package io.sluice.core.validation;
