package io.sluice.worker.cluster;

import io.sluice.core.status.TaskId;
import io.sluice.worker.cluster.ClusterState.Assignment;
import io.sluice.worker.cluster.ClusterState.Owner;
import io.sluice.worker.runtime.Ownership;
import java.util.OptionalLong;

/**
 * This worker's share of the committed assignment, and nothing while it is not an active member. A
 * task newly assigned here counts as this worker's once its previous holder released it
 * ({@link TaskHandover}).
 */
final class ClusterOwnership implements Ownership {

    private final int self;
    private final ClusterState state;
    private final Membership membership;
    private final TaskHandover handover;

    ClusterOwnership(int self, ClusterState state, Membership membership, TaskHandover handover) {
        this.self = self;
        this.state = state;
        this.membership = membership;
        this.handover = handover;
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public OptionalLong connectorEpoch(String connector) {
        if (!membership.active()) {
            return OptionalLong.empty();
        }
        return mine(state.assignment(connector).map(Assignment::connector).orElse(null));
    }

    @Override
    public OptionalLong taskEpoch(TaskId task) {
        if (!membership.active()) {
            return OptionalLong.empty();
        }
        OptionalLong epoch = mine(state.assignment(task.connector())
                .filter(a -> task.task() < a.tasks().size())
                .map(a -> a.tasks().get(task.task()))
                .orElse(null));
        return epoch.isPresent() && handover.free(task, epoch.getAsLong()) ? epoch : OptionalLong.empty();
    }

    @Override
    public void started(TaskId task, long epoch) {
        handover.held(task, epoch);
    }

    @Override
    public void released(TaskId task, long epoch) {
        handover.release(task, epoch);
    }

    private OptionalLong mine(Owner owner) {
        return owner != null && owner.node() == self ? OptionalLong.of(owner.epoch()) : OptionalLong.empty();
    }

    @Override
    public void onChange(Runnable listener) {
        membership.onChange(listener);
    }
}
