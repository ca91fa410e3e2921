package io.sluice.core.hub;

import java.util.List;

/**
 * Removes a worker from the cluster ({@code DELETE /hub/workers/{node-id}}), alive or dead: it leaves
 * the cluster's metadata group and its connectors and tasks move to the other workers at once. The
 * worker implements it when it runs in a cluster. Thread-safe.
 */
public interface WorkerRemoval {

    /** Removes node {@code nodeId}; blocks until the cluster made or refused the change. */
    Result remove(int nodeId);

    /** What became of a removal. */
    enum Outcome {
        /** The worker is no longer a member. */
        REMOVED,
        /** No member has that node id. */
        UNKNOWN_NODE,
        /** The cluster refused: the last member, or a removal that would lose the majority. */
        REFUSED,
        /** No metadata leader answered (no quorum, or an election); nothing was changed. */
        UNAVAILABLE
    }

    /**
     * @param message what happened, for the operator
     * @param members the cluster's node ids after the request
     */
    record Result(Outcome outcome, String message, List<Integer> members) {
        public Result {
            members = members == null ? List.of() : List.copyOf(members);
        }
    }
}
