package io.sluice.core.service;

import io.sluice.core.status.ConnectorStatus;
import io.sluice.core.status.ReplicationSlotStatus;
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
}
