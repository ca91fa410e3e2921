/**
 * The worker's connector runtime: a small control loop ({@link io.sluice.worker.runtime.ControlLoop})
 * that owns the connectors this worker hosts. {@link io.sluice.worker.runtime.ConnectorRuntime} stores
 * each change and runs it on the loop; {@link io.sluice.worker.runtime.AssignmentSync} makes what runs
 * here match the stored configs and the {@link io.sluice.worker.runtime.Ownership} (a single worker
 * owns everything, a cluster member what the assignment gives it: one path);
 * {@link io.sluice.worker.runtime.ConnectorHosting} starts and stops connector instances and tasks;
 * {@link io.sluice.worker.runtime.Restarts} and {@link io.sluice.worker.runtime.TaskSupervisor} restart
 * them. Statuses go to the log's internal topics; reads never wait for the loop. Connector-specific
 * behaviour comes from the connector's plugin through {@code io.sluice.core.extension}, never from here.
 *
 * <p>Depends on hub-core, the log and {@code worker.store}/{@code worker.task}; never on a connector
 * module's classes.
 */
package io.sluice.worker.runtime;
