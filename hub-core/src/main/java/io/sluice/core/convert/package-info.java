/**
 * Converter wiring: creates a connector's key, value and header converters from the worker's
 * defaults overridden by the connector's own settings, loading the classes through {@link
 * io.sluice.core.plugin.Plugins}.
 *
 * <p>Depends on {@code io.sluice.core.plugin} and Kafka's connect-api and connect-json.
 */
package io.sluice.core.convert;
