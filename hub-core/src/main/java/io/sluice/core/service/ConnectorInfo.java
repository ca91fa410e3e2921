package io.sluice.core.service;

import io.sluice.core.status.TaskId;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.health.ConnectorType;

/**
 * A connector as {@code GET /connectors/{name}} shows it; {@code config} is redacted. Immutable.
 */
public record ConnectorInfo(String name, Map<String, String> config, List<TaskId> tasks, ConnectorType type) {

    public ConnectorInfo {
        config = Map.copyOf(config);
        tasks = List.copyOf(tasks);
    }
}
