/**
 * Single Message Transform chains: builds the ordered transformations of a connector, each
 * optionally guarded by a (possibly negated) predicate, from Kafka's connect-transforms classes or
 * any plugin's, and applies them to records.
 *
 * <p>Depends on {@code io.sluice.core.config} and {@code io.sluice.core.plugin}.
 */
package io.sluice.core.transform;
