package io.sluice.core.hub;

import java.util.List;

/**
 * A move of one partition's replicas between workers, queued or under way. Immutable.
 *
 * @param from the worker ids holding the replicas before the move (preferred leader first)
 * @param to the worker ids that will hold them
 */
public record ReplicaMove(String topic, int partition, List<Integer> from, List<Integer> to) {

    public ReplicaMove {
        from = List.copyOf(from);
        to = List.copyOf(to);
    }
}
