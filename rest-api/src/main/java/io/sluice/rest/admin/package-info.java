/**
 * Kafka Connect's server-level endpoints: {@code GET /} (version and cluster id), {@code GET
 * /health} and {@code /admin/loggers} (log levels at run time, through Spring Boot's logging
 * system; cluster-scoped ones through the {@link io.sluice.rest.admin.SharedLogLevels} the worker
 * provides).
 *
 * <p>Depends on {@code io.sluice.core.hub} and {@code io.sluice.rest.errors}.
 */
package io.sluice.rest.admin;
