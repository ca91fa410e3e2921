package io.sluice.worker.runtime;

import io.sluice.core.status.TaskId;
import java.util.OptionalLong;

/**
 * Which connectors and tasks this worker runs. A single worker runs everything; in a cluster the
 * metadata leader's assignment decides, and a worker that lost its membership runs nothing. Each
 * assignment carries an epoch (monotonic per connector and task) for fencing. Thread-safe.
 */
public interface Ownership {

    /** A single worker: everything runs here, with epoch 0. */
    Ownership EVERYTHING = new Ownership() {
        @Override
        public boolean clustered() {
            return false;
        }

        @Override
        public OptionalLong connectorEpoch(String connector) {
            return OptionalLong.of(0);
        }

        @Override
        public OptionalLong taskEpoch(TaskId task) {
            return OptionalLong.of(0);
        }

        @Override
        public void onChange(Runnable listener) {}
    };

    /** True when connectors and tasks are assigned by a cluster (changes arrive through the config topic). */
    boolean clustered();

    /** The epoch under which this worker runs the connector's instance; empty if it does not. */
    OptionalLong connectorEpoch(String connector);

    /**
     * The epoch under which this worker runs the task; empty if it does not, or may not start it yet
     * (in a cluster: its previous worker has not released it).
     */
    OptionalLong taskEpoch(TaskId task);

    /**
     * Records that this worker started {@code task} under {@code epoch}, so a worker it moves to
     * waits for {@link #released} before starting it. Returns at once.
     */
    default void started(TaskId task, long epoch) {}

    /**
     * Records that this worker stopped {@code task}, run under {@code epoch}, its last offsets
     * committed: the next owner may start it. Returns at once.
     */
    default void released(TaskId task, long epoch) {}

    /** Calls {@code listener} (on any thread) when what this worker owns may have changed wholesale. */
    void onChange(Runnable listener);
}
