package io.sluice.rest.plugins;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.core.plugin.PluginProblem;
import io.sluice.core.service.ConnectorService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The hub's own view of plugin loading: what could not be loaded from the plugin path and what
 * lacks a service manifest. Kafka Connect only logs these; the hub also serves them. Stateless.
 */
@RestController
@Tag(name = "hub", description = "The hub's own endpoints")
public class PluginProblemsController {

    private final ConnectorService service;

    public PluginProblemsController(ConnectorService service) {
        this.service = service;
    }

    /** One problem: {@code {"location", "class", "severity", "message"}}. */
    public record Problem(
            @JsonProperty("location") String location,

            @JsonProperty("class") @JsonInclude(JsonInclude.Include.NON_NULL)
            String className,

            @JsonProperty("severity") String severity,
            @JsonProperty("message") String message) {
        static Problem of(PluginProblem p) {
            return new Problem(p.location(), p.className(), p.severity().name().toLowerCase(Locale.ROOT), p.message());
        }
    }

    @GetMapping(path = "/hub/plugins/problems", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Plugins that could not be loaded, and plugin classes without a service manifest")
    public List<Problem> problems() {
        return service.pluginProblems().stream().map(Problem::of).toList();
    }
}
