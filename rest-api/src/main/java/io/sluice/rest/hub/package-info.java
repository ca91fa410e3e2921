/**
 * The hub's own endpoints under {@code /hub/}: workers, topics of the log, records of a partition
 * decoded for reading, per-connector rates and lag, and a server-sent-events stream of state
 * changes. Read-only.
 *
 * <p>Depends on {@code io.sluice.core.hub} and {@code io.sluice.rest.errors}.
 */
package io.sluice.rest.hub;
