/**
 * The hub's extension point for connector plugins: what a plugin adds around its own connectors
 * beyond Kafka Connect's API (preflight checks, the config a connector starts with, progress and lag
 * readings, cleanup when a connector is deleted). A plugin provides a {@link
 * io.sluice.core.extension.ConnectorExtension} through {@code META-INF/services}; {@link
 * io.sluice.core.extension.ConnectorExtensions} finds it through the class loader of the
 * connector's plugin, so plugin isolation holds for extensions too.
 *
 * <p>Depends on {@code io.sluice.core.plugin}, the status and validation types it returns, and
 * Kafka's connect-api; never on a connector, Micrometer or the worker.
 */
package io.sluice.core.extension;
