/**
 * The worker's side of security: where the built-in file connectors may read and write ({@link
 * io.sluice.worker.security.FileConnectorPaths}). Authentication and roles live in {@code
 * io.sluice.rest.security}.
 *
 * <p>Depends on {@code io.sluice.core.validation} and the JDK only.
 */
package io.sluice.worker.security;
