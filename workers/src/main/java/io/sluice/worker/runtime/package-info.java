/**
 * The worker's connector runtime: hosts connectors and their tasks, keeps their configs, target
 * states and statuses in the log's internal topics, restarts failed tasks, and implements the
 * {@link io.sluice.core.service.ConnectorService} the REST API calls.
 */
package io.sluice.worker.runtime;
