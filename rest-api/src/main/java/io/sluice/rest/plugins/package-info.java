/**
 * Kafka Connect's {@code /connector-plugins} endpoints: installed plugins, a plugin's config
 * definition and config validation with every error at once.
 *
 * <p>Depends on {@code io.sluice.core.service}, {@code io.sluice.core.validation}, {@code
 * io.sluice.core.plugin} and {@code io.sluice.rest.errors}.
 */
package io.sluice.rest.plugins;
