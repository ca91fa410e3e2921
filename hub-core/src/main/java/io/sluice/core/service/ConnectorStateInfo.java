package io.sluice.core.service;

import io.sluice.core.status.ConnectorStatus;
import io.sluice.core.status.TaskStatus;
import java.util.List;
import org.apache.kafka.connect.health.ConnectorType;

/** A connector's and its tasks' states as {@code GET /connectors/{name}/status} shows them. */
public record ConnectorStateInfo(String name, ConnectorStatus connector, List<TaskStatus> tasks, ConnectorType type) {

    public ConnectorStateInfo {
        tasks = List.copyOf(tasks);
    }
}
