package io.sluice.core.service;

import io.sluice.core.status.ConnectorStatus;
import io.sluice.core.status.ReplicationSlotStatus;
import io.sluice.core.status.State;
import io.sluice.core.status.TaskStatus;
import java.util.List;
import org.apache.kafka.connect.health.ConnectorType;

/**
 * A connector's and its tasks' states as {@code GET /connectors/{name}/status} shows them, plus, for
 * a Postgres CDC connector, the last reading of its replication slot ({@code null} otherwise or
 * before the first reading).
 */
public record ConnectorStateInfo(
        String name,
        ConnectorStatus connector,
        List<TaskStatus> tasks,
        ConnectorType type,
        ReplicationSlotStatus replicationSlot) {

    public ConnectorStateInfo {
        tasks = List.copyOf(tasks);
    }

    public ConnectorStateInfo(String name, ConnectorStatus connector, List<TaskStatus> tasks, ConnectorType type) {
        this(name, connector, tasks, type, null);
    }

    /** How the connector as a whole is doing: its worst part, so a failed task never looks healthy. */
    public enum Health {
        /** The connector and every task run (or are paused or stopped as asked). */
        HEALTHY,
        /** Something is not working yet and is being retried: a task retries a transient failure, or waits for a worker. */
        DEGRADED,
        /** The connector or one of its tasks is FAILED. */
        FAILED
    }

    /** The worst of the connector's and its tasks' states. */
    public Health health() {
        if (connector.state() == State.FAILED || tasks.stream().anyMatch(t -> t.state() == State.FAILED)) {
            return Health.FAILED;
        }
        boolean degraded = connector.state() == State.UNASSIGNED
                || connector.state() == State.RESTARTING
                || tasks.stream()
                        .anyMatch(t ->
                                t.retrying() != null || t.state() == State.UNASSIGNED || t.state() == State.RESTARTING);
        return degraded ? Health.DEGRADED : Health.HEALTHY;
    }
}
