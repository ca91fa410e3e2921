package io.sluice.worker.cluster;

import io.sluice.core.status.TaskId;
import io.sluice.worker.cluster.ClusterState.Assignment;
import io.sluice.worker.cluster.ClusterState.Owner;
import io.sluice.worker.runtime.Ownership;
import java.util.OptionalLong;

/** This worker's share of the committed assignment, and nothing while it is not an active member. */
final class ClusterOwnership implements Ownership {

    private final int self;
    private final ClusterState state;
    private final Membership membership;

    ClusterOwnership(int self, ClusterState state, Membership membership) {
        this.self = self;
        this.state = state;
        this.membership = membership;
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
        return mine(state.assignment(task.connector())
                .filter(a -> task.task() < a.tasks().size())
                .map(a -> a.tasks().get(task.task()))
                .orElse(null));
    }

    private OptionalLong mine(Owner owner) {
        return owner != null && owner.node() == self ? OptionalLong.of(owner.epoch()) : OptionalLong.empty();
    }

    @Override
    public void onChange(Runnable listener) {
        membership.onChange(listener);
    }
}
