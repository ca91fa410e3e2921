package io.sluice.log.replication;

import java.util.List;
import java.util.Optional;

/**
 * Where a partition lives: its replicas in placement order (the first is the preferred leader) and
 * the current leader, if one is known.
 */
public record PartitionStatus(String topic, int partition, Optional<String> leader, List<ReplicaStatus> replicas) {

    /** The largest lag among reachable replicas, or -1 when the leader is unknown. */
    public long maxLag() {
        if (leader.isEmpty()) {
            return -1;
        }
        long max = 0;
        for (ReplicaStatus r : replicas) {
            if (!r.reachable() || r.lag() < 0) {
                return -1;
            }
            max = Math.max(max, r.lag());
        }
        return max;
    }
}
