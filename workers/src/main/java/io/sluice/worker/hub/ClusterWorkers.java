package io.sluice.worker.hub;

import io.sluice.core.hub.WorkerInfo;
import io.sluice.worker.cluster.ClusterNode;
import io.sluice.worker.cluster.ClusterState.Assignment;
import io.sluice.worker.cluster.ClusterState.Member;
import io.sluice.worker.cluster.Peer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cluster's workers as {@code /hub/workers} shows them: membership and assignments from this
 * worker's copy of the config topic, heartbeat ages from the metadata leader.
 */
final class ClusterWorkers {

    private ClusterWorkers() {}

    static List<WorkerInfo> of(ClusterNode cluster, String version, Instant startedHere) {
        Map<Integer, Member> members = cluster.state().members();
        Map<String, Assignment> assignments = cluster.state().assignments();
        Map<Integer, Long> ages = cluster.liveness();
        Integer leader = cluster.leader().orElse(null);
        List<WorkerInfo> out = new ArrayList<>();
        for (Peer p : cluster.peers()) {
            Member m = members.get(p.id());
            List<String> assigned = new ArrayList<>();
            int connectors = 0;
            int tasks = 0;
            for (Map.Entry<String, Assignment> a : assignments.entrySet()) {
                if (a.getValue().connector() != null && a.getValue().connector().node() == p.id()) {
                    assigned.add(a.getKey());
                    connectors++;
                }
                for (int i = 0; i < a.getValue().tasks().size(); i++) {
                    if (a.getValue().tasks().get(i).node() == p.id()) {
                        assigned.add(a.getKey() + "-" + i);
                        tasks++;
                    }
                }
            }
            String id = m != null && m.workerId() != null ? m.workerId() : "node-" + p.id();
            String state = m == null ? "UNKNOWN" : m.alive() ? "RUNNING" : "DEAD";
            if (!cluster.active()) {
                // no leader answered for a session: this worker runs nothing, and what it last knew of
                // the others may no longer hold
                state = p.id() == cluster.nodeId() ? "DISCONNECTED" : "UNKNOWN";
            }
            Instant started =
                    p.id() == cluster.nodeId() ? startedHere : m == null ? null : Instant.ofEpochMilli(m.since());
            out.add(new WorkerInfo(
                    id,
                    state,
                    version,
                    started,
                    connectors,
                    tasks,
                    new WorkerInfo.Membership(
                            p.id(), p.address(), leader != null && leader == p.id(), ages.get(p.id()), assigned)));
        }
        return out;
    }
}
