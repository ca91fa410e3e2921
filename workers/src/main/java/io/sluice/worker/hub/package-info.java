/**
 * The worker's side of the hub's own REST endpoints: {@link io.sluice.worker.hub.WorkerHubQueries}
 * implements {@link io.sluice.core.hub.HubQueries} from the log (topics, records), the metrics
 * registry (rates, lag) and the connector service (workers, state changes), and keeps the cluster
 * id.
 *
 * <p>Depends on {@code io.sluice.core}, {@code io.sluice.log} and {@code io.sluice.worker.runtime}.
 */
package io.sluice.worker.hub;
