package io.sluice.rest.admin;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/**
 * This worker's log levels as {@code /admin/loggers} shows and changes them, with the time each was
 * last set here. Levels stored cluster-wide ({@link SharedLogLevels}) are applied as this worker sees
 * them: those stored before it started at its start, later ones as they are committed. Thread-safe.
 */
public class LogLevels {

    private static final Logger LOG = LoggerFactory.getLogger(LogLevels.class);

    /** A logger's level and when it was last set on this worker (null if never through the API). */
    public record Level(LogLevel level, Long lastModified) {}

    private final LoggingSystem logging;
    private final SharedLogLevels shared;
    private final Map<String, Long> lastModified = new ConcurrentHashMap<>();

    public LogLevels(LoggingSystem logging, ObjectProvider<SharedLogLevels> shared) {
        this.logging = logging;
        this.shared = shared.getIfAvailable();
        if (this.shared != null) {
            this.shared.subscribe(this::applyShared);
        }
    }

    /** Loggers with an explicitly set level, by Spring Boot logger name. */
    public Map<String, Level> configured() {
        Map<String, Level> out = new TreeMap<>();
        for (LoggerConfiguration c : logging.getLoggerConfigurations()) {
            if (c.getConfiguredLevel() != null) {
                out.put(c.getName(), new Level(c.getConfiguredLevel(), lastModified.get(c.getName())));
            }
        }
        return out;
    }

    /** A logger's set level, else its effective one; null when there is no such logger. */
    public Level get(String logger) {
        LoggerConfiguration c = logging.getLoggerConfiguration(logger);
        if (c == null) {
            return null;
        }
        LogLevel level = c.getConfiguredLevel() != null ? c.getConfiguredLevel() : c.getEffectiveLevel();
        return new Level(level, lastModified.get(c.getName()));
    }

    /** Sets {@code logger}'s level on this worker; answers the loggers affected (it and its descendants). */
    public List<String> setHere(String logger, LogLevel level) {
        logging.setLogLevel(logger, level);
        long now = System.currentTimeMillis();
        List<String> affected = logging.getLoggerConfigurations().stream()
                .map(LoggerConfiguration::getName)
                .filter(n -> isSelfOrDescendant(n, logger))
                .sorted()
                .toList();
        affected.forEach(n -> lastModified.put(n, now));
        lastModified.put(logger, now);
        return affected.isEmpty() ? List.of(logger) : affected;
    }

    /**
     * Sets {@code logger}'s level on every worker of the cluster (this one when there is no cluster to
     * share it with). Returns once it is committed and applied here; the others apply it as they see it.
     */
    public void setEverywhere(String logger, LogLevel level) {
        if (shared == null) {
            setHere(logger, level);
        } else {
            shared.publish(logger, level.name());
        }
    }

    private void applyShared(String logger, String level) {
        try {
            setHere(logger, LogLevel.valueOf(level));
            LOG.info("Log level of {} set to {} for the cluster", logger, level);
        } catch (RuntimeException e) {
            // the level came from the replicated config: a bad one must not stop the worker applying it
            LOG.warn("Could not apply the cluster's log level {} of logger {}", level, logger, e);
        }
    }

    private static boolean isSelfOrDescendant(String name, String ancestor) {
        return ancestor.equals(LoggingSystem.ROOT_LOGGER_NAME)
                || name.equals(ancestor)
                || name.startsWith(ancestor + ".");
    }
}
