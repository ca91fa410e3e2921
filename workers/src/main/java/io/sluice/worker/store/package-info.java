/**
 * The worker's internal state kept in compacted topics of the log: connector and task configs with
 * target states, statuses, and source offsets. Depends on {@code io.sluice.log} and Jackson.
 */
package io.sluice.worker.store;
