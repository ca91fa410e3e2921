package io.sluice.worker.cluster;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cluster settings ({@code sluice.cluster.*}). Without {@code node-id} and {@code peers} the worker
 * is a single-node hub.
 *
 * @param nodeId this worker's id in {@code peers}
 * @param peers every worker of the cluster as {@code id@host:port} (the port of its metadata-group
 *     server), comma-separated; the same list on every worker
 * @param bindAddress the address this worker's metadata-group server listens on
 * @param sessionTimeout how long a worker may miss heartbeats before its connectors and tasks move to
 *     the survivors, unless the leader finds nothing listening on its cluster port first (a crashed
 *     process: its work moves after about three heartbeat intervals); also how long a worker that
 *     cannot reach the metadata leader keeps its tasks
 * @param heartbeatInterval how often a worker heart-beats to the metadata leader
 * @param writeTimeout how long a config change waits for a majority before failing
 * @param snapshotEvery metadata-group entries between snapshots (the Raft log before one is purged)
 */
@Validated
@ConfigurationProperties("sluice.cluster")
public record ClusterProperties(
        Integer nodeId,
        @DefaultValue("") String peers,
        @NotNull @DefaultValue("127.0.0.1") String bindAddress,
        @NotNull @DefaultValue("10s") Duration sessionTimeout,
        @NotNull @DefaultValue("500ms") Duration heartbeatInterval,
        @NotNull @DefaultValue("30s") Duration writeTimeout,

        @jakarta.validation.constraints.Min(8) @DefaultValue("4096")
        long snapshotEvery) {

    public ClusterProperties {
        peers = peers == null ? "" : peers.trim();
    }

    /** True when cluster settings are given (either one; both are then required). */
    public boolean enabled() {
        return nodeId != null || !peers.isEmpty();
    }
}
