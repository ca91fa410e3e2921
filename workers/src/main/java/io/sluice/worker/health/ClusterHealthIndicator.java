package io.sluice.worker.health;

import io.sluice.worker.cluster.ClusterNode;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Reports whether this worker belongs to a cluster that has a quorum: DOWN, with the reason, while no
 * metadata leader has answered its heartbeats for a session (then it runs no tasks and config
 * changes through it fail) or once it was removed from the cluster; UP with the leader otherwise. A single worker without cluster settings
 * is always UP. Part of the readiness group. Thread-safe.
 */
public final class ClusterHealthIndicator extends AbstractHealthIndicator {

    private final ClusterNode cluster;

    /** @param cluster the worker's cluster node, or null on a single worker */
    public ClusterHealthIndicator(ClusterNode cluster) {
        this.cluster = cluster;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (cluster == null) {
            builder.up().withDetail("mode", "single worker");
            return;
        }
        builder.withDetail("nodeId", cluster.nodeId())
                .withDetail("peers", cluster.peers().size());
        cluster.leader().ifPresent(l -> builder.withDetail("metadataLeader", l));
        if (cluster.active()) {
            builder.up();
        } else if (cluster.removed()) {
            builder.down()
                    .withDetail(
                            "reason",
                            "this worker was removed from the cluster (DELETE /hub/workers/" + cluster.nodeId()
                                    + "): it runs no tasks; start it with sluice.cluster.join to add it again");
        } else {
            builder.down()
                    .withDetail(
                            "reason",
                            "no metadata leader answered this worker's heartbeats for a session: no quorum"
                                    + " reachable, so this worker runs no tasks and cannot apply config changes");
        }
    }
}
