package io.sluice.rest.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.rest.errors.RestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /admin/loggers}: log levels of this worker, changed at run time as Kafka Connect's logging
 * endpoint does. The root logger is called {@code root}. Thread-safe. Without a scope a level is set
 * on the worker asked and lasts until it restarts; with {@code ?scope=cluster} (answered 204 as Kafka
 * Connect does) it is stored in the cluster's shared config and every worker applies it, including
 * workers that start or join later, until a later change (see {@link LogLevels}).
 */
@RestController
@RequestMapping(path = "/admin/loggers", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin")
public class LoggersController {

    private static final String CLUSTER_SCOPE = "cluster";
    private static final String WORKER_SCOPE = "worker";

    private static final String ROOT = "root";
    private static final Logger LOG = LoggerFactory.getLogger(LoggersController.class);

    /** Kafka Connect's {@code LoggerLevel}. */
    public record Level(
            @JsonProperty("level") String level,
            @JsonProperty("last_modified") Long lastModified) {}

    private final LogLevels levels;

    public LoggersController(LogLevels levels) {
        this.levels = levels;
    }

    @GetMapping
    @Operation(summary = "Loggers with an explicitly set level")
    public Map<String, Level> list() {
        Map<String, Level> out = new TreeMap<>();
        levels.configured().forEach((name, l) -> out.put(restName(name), json(l)));
        return out;
    }

    @GetMapping("/{logger}")
    @Operation(summary = "A logger's level (its effective level if none is set)")
    public Level get(@PathVariable("logger") String logger) {
        LogLevels.Level l = levels.get(systemName(logger));
        if (l == null) {
            throw RestException.notFound("Logger " + logger + " not found.");
        }
        return json(l);
    }

    @PutMapping(path = "/{logger}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Set a logger's level (and so its descendants'); answers the loggers affected, or 204 with"
                    + " scope=cluster (then every worker of the cluster applies it)")
    public ResponseEntity<List<String>> set(
            @PathVariable("logger") String logger,
            @RequestBody Map<String, String> body,
            @RequestParam(name = "scope", required = false) String scope) {
        String given = body == null ? null : body.get("level");
        if (given == null) {
            throw RestException.badRequest("Desired 'level' parameter was not specified in request.");
        }
        LogLevel level = parse(given);
        if (CLUSTER_SCOPE.equalsIgnoreCase(scope)) {
            levels.setEverywhere(systemName(logger), level);
            return ResponseEntity.noContent().build();
        }
        if (scope != null && !WORKER_SCOPE.equalsIgnoreCase(scope)) {
            // Kafka Connect treats an unknown scope as the worker scope (and logs it)
            LOG.warn("Unknown scope '{}' of a log level change; applying it to this worker only", scope);
        }
        List<String> affected = levels.setHere(systemName(logger), level);
        return ResponseEntity.ok(
                affected.stream().map(LoggersController::restName).toList());
    }

    private static Level json(LogLevels.Level l) {
        return new Level(l.level().name(), l.lastModified());
    }

    private static LogLevel parse(String given) {
        String upper = given.trim().toUpperCase(Locale.ROOT);
        if (upper.equals("ALL")) {
            return LogLevel.TRACE;
        }
        try {
            return LogLevel.valueOf(upper);
        } catch (IllegalArgumentException e) {
            throw RestException.badRequest(
                    "invalid log level '" + given + "'; expected one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF");
        }
    }

    private static String systemName(String restName) {
        return ROOT.equalsIgnoreCase(restName) ? LoggingSystem.ROOT_LOGGER_NAME : restName;
    }

    private static String restName(String systemName) {
        return LoggingSystem.ROOT_LOGGER_NAME.equals(systemName) ? ROOT : systemName;
    }
}
