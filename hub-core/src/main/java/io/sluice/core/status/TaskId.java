package io.sluice.core.status;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identifies a task: its connector and its index from 0. Rendered as {@code <connector>-<task>}.
 * Immutable; ordered by connector then task.
 */
public record TaskId(String connector, int task) implements Comparable<TaskId> {

    private static final Comparator<TaskId> ORDER =
            Comparator.comparing(TaskId::connector).thenComparingInt(TaskId::task);

    public TaskId {
        Objects.requireNonNull(connector, "connector");
        if (task < 0) {
            throw new IllegalArgumentException("Task index must be >= 0: " + task);
        }
    }

    @Override
    public int compareTo(TaskId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return connector + "-" + task;
    }
}
