/**
 * Names of the hub's connector and task metrics (Micrometer-style dotted names) and their tags, so
 * workers, the REST API and the UI agree on them.
 *
 * <p>Depends on nothing.
 */
package io.sluice.core.metrics;
