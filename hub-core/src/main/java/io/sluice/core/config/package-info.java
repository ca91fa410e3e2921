/**
 * Connector configuration as data: the {@link org.apache.kafka.common.config.ConfigDef}s of the
 * connector-level settings (Kafka Connect's names and defaults, plus Sluice's {@code
 * sluice.restart.*}), and their enrichment with the settings of each configured transformation,
 * predicate and topic creation group.
 *
 * <p>Depends on {@code io.sluice.core.plugin} and Kafka's config classes.
 */
package io.sluice.core.config;
