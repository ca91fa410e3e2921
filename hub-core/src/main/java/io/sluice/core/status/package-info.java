/**
 * The status model of connectors and tasks (states, target states, status records with worker id,
 * trace and generation) and the automatic restart policy with its bounded per-task history.
 *
 * <p>Depends on {@code io.sluice.core.config} only.
 */
package io.sluice.core.status;
