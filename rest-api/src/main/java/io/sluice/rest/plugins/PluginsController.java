package io.sluice.rest.plugins;

import io.sluice.core.plugin.PluginType;
import io.sluice.core.service.ConnectorService;
import io.sluice.rest.errors.RestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Installed plugins, their config definitions and config validation. Stateless. */
@RestController
@RequestMapping(path = "/connector-plugins", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "connector-plugins", description = "Kafka Connect's plugin endpoints")
public class PluginsController {

    private static final String ALIAS_SUFFIX = "Connector";

    /** Kafka Connect lists these kinds, in this order; config providers are not listed. */
    private static final List<PluginType> LISTED = List.of(
            PluginType.SINK,
            PluginType.SOURCE,
            PluginType.TRANSFORMATION,
            PluginType.PREDICATE,
            PluginType.CONVERTER,
            PluginType.HEADER_CONVERTER);

    private final ConnectorService service;

    public PluginsController(ConnectorService service) {
        this.service = service;
    }

    @GetMapping
    @Operation(summary = "Installed connector plugins, or every plugin with connectorsOnly=false")
    public List<PluginJson.Plugin> list(
            @RequestParam(name = "connectorsOnly", defaultValue = "true") boolean connectorsOnly) {
        return service.plugins(connectorsOnly).stream()
                .filter(p -> LISTED.contains(p.type()))
                .sorted(Comparator.comparing((io.sluice.core.plugin.PluginDescriptor p) -> LISTED.indexOf(p.type()))
                        .thenComparing(io.sluice.core.plugin.PluginDescriptor::className))
                .map(PluginJson.Plugin::of)
                .toList();
    }

    @GetMapping("/{plugin}/config")
    @Operation(summary = "The plugin's own settings")
    public List<PluginJson.Definition> config(@PathVariable("plugin") String plugin) {
        return service.pluginConfig(plugin).stream()
                .map(PluginJson.Definition::of)
                .toList();
    }

    @PutMapping(path = "/{plugin}/config/validate", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Validate a connector config, reporting every error at once")
    public PluginJson.Validation validate(
            @PathVariable("plugin") String plugin, @RequestBody Map<String, String> config) {
        if (config == null) {
            throw RestException.badRequest("Request body must be a JSON object of connector settings");
        }
        String included = config.get("connector.class");
        if (included != null && !normalized(included).endsWith(normalized(plugin))) {
            throw RestException.badRequest(
                    "Included connector type " + included + " does not match request type " + plugin);
        }
        Map<String, String> withoutNulls = new java.util.LinkedHashMap<>();
        config.forEach((k, v) -> {
            if (v != null) {
                withoutNulls.put(k, v);
            }
        });
        return PluginJson.Validation.of(service.validateConfig(plugin, withoutNulls));
    }

    private static String normalized(String name) {
        return name.endsWith(ALIAS_SUFFIX) && name.length() > ALIAS_SUFFIX.length()
                ? name.substring(0, name.length() - ALIAS_SUFFIX.length())
                : name;
    }
}
