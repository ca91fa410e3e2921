package io.sluice.core.plugin;

import java.util.Objects;

/**
 * Something found while loading plugins that an operator should see: a plugin (or one of its
 * classes) that could not be loaded, or one that loads but lacks a service manifest. The worker
 * keeps running without the affected classes.
 *
 * @param location the plugin folder or jar, or {@code "classpath"}
 * @param className the class concerned, or {@code null} when the whole location is affected
 * @param severity {@link Severity#ERROR} when something was not loaded, {@link Severity#WARNING}
 *     when it was loaded but will not be under stricter discovery
 * @param message what happened, for people
 */
public record PluginProblem(String location, String className, Severity severity, String message) {

    /** How bad a problem is. */
    public enum Severity {
        WARNING,
        ERROR
    }

    public PluginProblem {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    static PluginProblem error(String location, String className, Throwable cause) {
        return new PluginProblem(location, className, Severity.ERROR, describe(cause));
    }

    /** The cause chain's class names and messages, without a stack trace. */
    static String describe(Throwable cause) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = cause; t != null && text.length() < 1000; t = t.getCause()) {
            if (text.length() > 0) {
                text.append("; caused by ");
            }
            text.append(t.getClass().getName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }
}
