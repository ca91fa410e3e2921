package io.sluice.core.service;

import io.sluice.core.status.TaskId;
import java.util.Map;

/** A task and its (redacted) config, as {@code GET /connectors/{name}/tasks} lists it. */
public record TaskInfo(TaskId id, Map<String, String> config) {

    public TaskInfo {
        config = Map.copyOf(config);
    }
}
