package io.sluice.rest.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.rest.errors.RestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
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
 * {@code /admin/loggers}: log levels of this worker, changed at run time as Kafka Connect's
 * worker-scoped logging endpoint does. The root logger is called {@code root}. Thread-safe; levels
 * set here last until the worker restarts. With {@code ?scope=cluster} it answers 204 as Kafka
 * Connect does; the level is set on the worker that received the request.
 */
@RestController
@RequestMapping(path = "/admin/loggers", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin")
public class LoggersController {

    private static final String CLUSTER_SCOPE = "cluster";

    private static final String ROOT = "root";

    /** Kafka Connect's {@code LoggerLevel}. */
    public record Level(
            @JsonProperty("level") String level,
            @JsonProperty("last_modified") Long lastModified) {}

    private final LoggingSystem logging;
    private final Map<String, Long> lastModified = new ConcurrentHashMap<>();

    public LoggersController(LoggingSystem logging) {
        this.logging = logging;
    }

    @GetMapping
    @Operation(summary = "Loggers with an explicitly set level")
    public Map<String, Level> list() {
        Map<String, Level> out = new TreeMap<>();
        for (LoggerConfiguration c : logging.getLoggerConfigurations()) {
            if (c.getConfiguredLevel() != null) {
                String name = restName(c.getName());
                out.put(name, new Level(c.getConfiguredLevel().name(), lastModified.get(name)));
            }
        }
        return out;
    }

    @GetMapping("/{logger}")
    @Operation(summary = "A logger's level (its effective level if none is set)")
    public Level get(@PathVariable("logger") String logger) {
        LoggerConfiguration c = logging.getLoggerConfiguration(systemName(logger));
        if (c == null) {
            throw RestException.notFound("Logger " + logger + " not found.");
        }
        LogLevel level = c.getConfiguredLevel() != null ? c.getConfiguredLevel() : c.getEffectiveLevel();
        return new Level(level.name(), lastModified.get(restName(c.getName())));
    }

    @PutMapping(path = "/{logger}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Set a logger's level (and so its descendants'); answers the loggers affected, or 204 with"
                    + " scope=cluster")
    public ResponseEntity<List<String>> set(
            @PathVariable("logger") String logger,
            @RequestBody Map<String, String> body,
            @RequestParam(name = "scope", required = false) String scope) {
        List<String> affected = setHere(logger, body);
        // Kafka Connect answers a cluster-scoped change with 204 and no body, any other scope as worker
        return CLUSTER_SCOPE.equalsIgnoreCase(scope)
                ? ResponseEntity.noContent().build()
                : ResponseEntity.ok(affected);
    }

    private List<String> setHere(String logger, Map<String, String> body) {
        String given = body == null ? null : body.get("level");
        if (given == null) {
            throw RestException.badRequest("Desired 'level' parameter was not specified in request.");
        }
        LogLevel level = parse(given);
        String system = systemName(logger);
        logging.setLogLevel(system, level);
        long now = System.currentTimeMillis();
        List<String> affected = logging.getLoggerConfigurations().stream()
                .map(LoggerConfiguration::getName)
                .filter(n -> isSelfOrDescendant(n, system))
                .map(LoggersController::restName)
                .sorted()
                .toList();
        affected.forEach(n -> lastModified.put(n, now));
        lastModified.put(restName(system), now);
        return affected.isEmpty() ? List.of(restName(system)) : affected;
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

    private static boolean isSelfOrDescendant(String name, String ancestor) {
        return ancestor.equals(LoggingSystem.ROOT_LOGGER_NAME)
                || name.equals(ancestor)
                || name.startsWith(ancestor + ".");
    }

    private static String systemName(String restName) {
        return ROOT.equalsIgnoreCase(restName) ? LoggingSystem.ROOT_LOGGER_NAME : restName;
    }

    private static String restName(String systemName) {
        return LoggingSystem.ROOT_LOGGER_NAME.equals(systemName) ? ROOT : systemName;
    }
}
