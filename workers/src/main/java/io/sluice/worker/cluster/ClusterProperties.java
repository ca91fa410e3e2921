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
 * @param nodeId this worker's node id: unique in the cluster, kept for the life of its data directory
 * @param peers the seed list of workers as {@code id@host:port} (the port of each one's metadata-group
 *     server), comma-separated: the members a new cluster starts with. Once the cluster runs, its
 *     members are those stored in its metadata (workers join and are removed at runtime); a list that
 *     differs from them is logged as a warning and otherwise ignored
 * @param address this worker's own {@code host:port} for its metadata-group server; defaults to its
 *     entry in {@code peers}. Required for a worker that is not in {@code peers} (one that joins)
 * @param join metadata-server addresses ({@code host:port}, comma-separated) of any members of a running
 *     cluster: this worker asks them to add it. Needed only for the first start of a new worker (a
 *     restarted member knows the cluster from its data directory)
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
        @DefaultValue("") String address,
        @DefaultValue("") String join,
        @NotNull @DefaultValue("127.0.0.1") String bindAddress,
        @NotNull @DefaultValue("10s") Duration sessionTimeout,
        @NotNull @DefaultValue("500ms") Duration heartbeatInterval,
        @NotNull @DefaultValue("30s") Duration writeTimeout,

        @jakarta.validation.constraints.Min(8) @DefaultValue("4096")
        long snapshotEvery) {

    public ClusterProperties {
        peers = peers == null ? "" : peers.trim();
        address = address == null ? "" : address.trim();
        join = join == null ? "" : join.trim();
    }

    /** True when cluster settings are given (a node id, with peers or a join address). */
    public boolean enabled() {
        return nodeId != null || !peers.isEmpty();
    }

    /** The join addresses as a list (empty when this worker does not join). */
    public java.util.List<String> joinAddresses() {
        return join.isEmpty()
                ? java.util.List.of()
                : java.util.Arrays.stream(join.split(","))
                        .map(String::trim)
                        .filter(a -> !a.isEmpty())
                        .toList();
    }
}
