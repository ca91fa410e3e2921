/**
 * Plugin discovery and isolation: finds connectors, converters, header converters, transformations,
 * predicates and config providers on the hub's classpath and under a plugin path, loads each plugin
 * in its own child-first class loader, and instantiates plugins with the thread context class loader
 * set to the plugin's loader.
 *
 * <p>Depends only on Kafka's connect-api and kafka-clients interfaces and on SLF4J.
 */
package io.sluice.core.plugin;
