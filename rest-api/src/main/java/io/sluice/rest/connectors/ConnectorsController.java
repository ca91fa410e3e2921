package io.sluice.rest.connectors;

import io.sluice.core.service.ConnectorService;
import io.sluice.core.service.NotFoundException;
import io.sluice.core.service.PutConfigResult;
import io.sluice.core.status.TargetState;
import io.sluice.rest.errors.RestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Creating, reading, configuring and deleting connectors, as Kafka Connect does. Stateless. */
@RestController
@RequestMapping(path = "/connectors", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "connectors", description = "Kafka Connect's connector endpoints")
public class ConnectorsController {

    private final ConnectorService service;

    public ConnectorsController(ConnectorService service) {
        this.service = service;
    }

    @GetMapping({"", "/"})
    @Operation(summary = "List connector names, or with ?expand=status|info a map of them by name")
    public Object list(@RequestParam(name = "expand", required = false) List<String> expand) {
        List<String> names = service.connectorNames();
        if (expand == null) {
            return names;
        }
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (String name : names) {
            try {
                Map<String, Object> expansions = new LinkedHashMap<>();
                for (String e : expand) {
                    switch (e) {
                        case "status" ->
                            expansions.put("status", ConnectorJson.Status.of(service.connectorStatus(name)));
                        case "info" -> expansions.put("info", ConnectorJson.Info.of(service.connectorInfo(name)));
                        default -> {} // Kafka ignores unknown expansions
                    }
                }
                out.put(name, expansions);
            } catch (NotFoundException deletedMeanwhile) {
                // removed between listing and reading it: leave it out, as Kafka does
            }
        }
        return out;
    }

    @PostMapping(
            path = {"", "/"},
            consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a connector; 409 if the name exists")
    public ResponseEntity<ConnectorJson.Info> create(@RequestBody ConnectorJson.CreateRequest request) {
        if (request == null) {
            throw RestException.badRequest("Request body must be a JSON object with \"name\" and \"config\"");
        }
        // Kafka trims the name; strip() trims whitespace only, so a control character stays and is rejected
        String name = request.name() == null ? "" : request.name().strip();
        Map<String, String> config = ConfigBodies.requireConfig(request.config(), "config");
        ConfigBodies.checkName(name, config);
        ConnectorJson.Info info =
                ConnectorJson.Info.of(service.createConnector(name, config, initialState(request.initialState())));
        return ResponseEntity.created(location(name)).body(info);
    }

    @GetMapping("/{connector}")
    @Operation(summary = "A connector's config and tasks")
    public ConnectorJson.Info get(@PathVariable("connector") String connector) {
        return ConnectorJson.Info.of(service.connectorInfo(connector));
    }

    @GetMapping("/{connector}/config")
    @Operation(summary = "A connector's config; secrets shown as [hidden]")
    public Map<String, String> config(@PathVariable("connector") String connector) {
        return new TreeMap<>(service.connectorConfig(connector));
    }

    @PutMapping(path = "/{connector}/config", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create (201) or replace (200) a connector's config; [hidden] keeps a stored secret")
    public ResponseEntity<ConnectorJson.Info> putConfig(
            @PathVariable("connector") String connector, @RequestBody Map<String, String> body) {
        Map<String, String> config = ConfigBodies.requireConfig(body, null);
        ConfigBodies.checkName(connector, config);
        PutConfigResult result = service.putConnectorConfig(connector, config);
        ConnectorJson.Info info = ConnectorJson.Info.of(result.info());
        return result.created() ? ResponseEntity.created(location(connector)).body(info) : ResponseEntity.ok(info);
    }

    @PatchMapping(path = "/{connector}/config", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Merge settings into a connector's config; a null value removes the setting")
    public ConnectorJson.Info patchConfig(
            @PathVariable("connector") String connector, @RequestBody Map<String, String> patch) {
        if (patch == null) {
            throw RestException.badRequest("Request body must be a JSON object of settings");
        }
        String name = patch.get("name");
        if (patch.containsKey("name") && (name == null || !name.equals(connector))) {
            throw RestException.badRequest("Connector name configuration (" + name
                    + ") doesn't match connector name in the URL (" + connector + ")");
        }
        return ConnectorJson.Info.of(service.patchConnectorConfig(connector, patch));
    }

    @DeleteMapping("/{connector}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Stop a connector and remove its config")
    public void delete(@PathVariable("connector") String connector) {
        service.deleteConnector(connector);
    }

    private static TargetState initialState(String given) {
        if (given == null) {
            return TargetState.STARTED;
        }
        return switch (given.trim().toUpperCase(Locale.ROOT)) {
            case "RUNNING" -> TargetState.STARTED;
            case "PAUSED" -> TargetState.PAUSED;
            case "STOPPED" -> TargetState.STOPPED;
            default ->
                throw RestException.badRequest(
                        "Invalid initial_state '" + given + "': expected one of RUNNING, PAUSED, STOPPED");
        };
    }

    private static URI location(String name) {
        return ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/connectors/{name}")
                .buildAndExpand(name)
                .encode()
                .toUri();
    }
}
