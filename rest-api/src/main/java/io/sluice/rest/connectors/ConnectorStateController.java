package io.sluice.rest.connectors;

import io.sluice.core.service.ConnectorService;
import io.sluice.core.service.ConnectorStateInfo;
import io.sluice.core.service.NotFoundException;
import io.sluice.core.service.RestartRequest;
import io.sluice.core.status.TaskId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * A connector's status, tasks, restarts, target states (pause, resume, stop) and active topics, as
 * Kafka Connect answers them. Stateless.
 */
@RestController
@RequestMapping(path = "/connectors/{connector}", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "connectors")
public class ConnectorStateController {

    private final ConnectorService service;

    public ConnectorStateController(ConnectorService service) {
        this.service = service;
    }

    @GetMapping("/status")
    @Operation(summary = "The connector's and its tasks' states")
    public ConnectorJson.Status status(@PathVariable("connector") String connector) {
        return ConnectorJson.Status.of(service.connectorStatus(connector));
    }

    @GetMapping("/tasks")
    @Operation(summary = "The connector's tasks and their configs; secrets shown as [hidden]")
    public List<ConnectorJson.Task> tasks(@PathVariable("connector") String connector) {
        return service.taskConfigs(connector).stream()
                .map(ConnectorJson.Task::of)
                .toList();
    }

    @GetMapping("/tasks/{task}/status")
    @Operation(summary = "One task's state")
    public ConnectorJson.TaskState taskStatus(
            @PathVariable("connector") String connector, @PathVariable("task") String task) {
        return ConnectorJson.TaskState.of(service.taskStatus(taskId(connector, task)));
    }

    @PostMapping("/tasks/{task}/restart")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Restart one task")
    public void restartTask(@PathVariable("connector") String connector, @PathVariable("task") String task) {
        service.restartTask(taskId(connector, task));
    }

    @PostMapping("/restart")
    @Operation(
            summary = "Restart the connector (204), or with includeTasks/onlyFailed also its tasks (202 with the"
                    + " statuses)")
    public ResponseEntity<ConnectorJson.Status> restart(
            @PathVariable("connector") String connector,
            @RequestParam(name = "includeTasks", defaultValue = "false") boolean includeTasks,
            @RequestParam(name = "onlyFailed", defaultValue = "false") boolean onlyFailed) {
        RestartRequest request = new RestartRequest(connector, onlyFailed, includeTasks);
        ConnectorStateInfo state = service.restartConnector(request);
        if (!request.forcesStatusResponse()) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.accepted().body(ConnectorJson.Status.of(state));
    }

    @PutMapping("/pause")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Pause the connector and its tasks")
    public void pause(@PathVariable("connector") String connector) {
        service.pauseConnector(connector);
    }

    @PutMapping("/resume")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Resume a paused or stopped connector")
    public void resume(@PathVariable("connector") String connector) {
        service.resumeConnector(connector);
    }

    @PutMapping("/stop")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Stop the connector: tasks shut down, config and offsets kept")
    public void stop(@PathVariable("connector") String connector) {
        service.stopConnector(connector);
    }

    @GetMapping("/topics")
    @Operation(summary = "Topics the connector has used since the last reset")
    public Map<String, ConnectorJson.ActiveTopics> topics(@PathVariable("connector") String connector) {
        return Map.of(connector, new ConnectorJson.ActiveTopics(List.copyOf(service.activeTopics(connector))));
    }

    @PutMapping("/topics/reset")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Forget the connector's active topics")
    public void resetTopics(@PathVariable("connector") String connector) {
        service.resetActiveTopics(connector);
    }

    /** Kafka Connect answers 404 for a task id that is not a non-negative integer. */
    static TaskId taskId(String connector, String task) {
        try {
            int index = Integer.parseInt(task);
            if (index >= 0) {
                return new TaskId(connector, index);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new NotFoundException("Task " + task + " of connector " + connector + " not found");
    }
}
