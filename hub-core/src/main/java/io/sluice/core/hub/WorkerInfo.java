package io.sluice.core.hub;

import java.time.Instant;

/**
 * One worker of the cluster as the hub shows it. Immutable.
 *
 * @param id the worker id that statuses report ({@code worker_id})
 * @param state {@code RUNNING} while it heart-beats
 * @param connectors connectors running on it
 * @param tasks tasks running on it
 * @param cluster in a cluster, its membership and assignment; null for a single worker
 */
public record WorkerInfo(
        String id, String state, String version, Instant startedAt, int connectors, int tasks, Membership cluster) {

    public WorkerInfo(String id, String state, String version, Instant startedAt, int connectors, int tasks) {
        this(id, state, version, startedAt, connectors, tasks, null);
    }

    /**
     * A worker's place in the cluster.
     *
     * @param nodeId its id in {@code sluice.cluster.peers}
     * @param address its metadata-group address
     * @param leader whether it leads the metadata group
     * @param lastHeartbeatMillis milliseconds since the metadata leader last heard it; null if unknown
     * @param assigned the connectors and tasks ({@code <connector>-<task>}) assigned to it
     */
    public record Membership(
            int nodeId, String address, boolean leader, Long lastHeartbeatMillis, java.util.List<String> assigned) {}
}
