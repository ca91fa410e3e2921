/**
 * The worker's side of the hub's own REST endpoints: {@link io.sluice.worker.hub.WorkerHubQueries}
 * implements {@link io.sluice.core.hub.HubQueries} from the log (topics, records), the metrics
 * registry (rates, lag) and the connector service (workers, state changes), and keeps the cluster
 * id.
 *
 * <p>It is the read side of the whole worker: it depends on {@code io.sluice.core}, {@code io.sluice.log},
 * {@code io.sluice.worker.runtime}, {@code io.sluice.worker.cluster} (members, assignment, the cluster's
 * topics), {@code io.sluice.worker.task} and {@code io.sluice.worker.storage}; nothing depends on it but
 * the Spring wiring.
 */
package io.sluice.worker.hub;
