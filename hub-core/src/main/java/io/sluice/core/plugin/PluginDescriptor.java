package io.sluice.core.plugin;

import java.util.Objects;

/**
 * One discovered plugin class as the REST API lists it.
 *
 * @param className fully qualified class name
 * @param type what kind of plugin it is; a class implementing two interfaces is listed twice
 * @param version {@code Versioned.version()} if the class provides one, else the jar's
 *     {@code Implementation-Version}, else {@code "undefined"}
 * @param location {@code "classpath"} or the plugin folder or jar it was found in
 */
public record PluginDescriptor(String className, PluginType type, String version, String location) {

    /** Version reported when neither the class nor its jar declares one. */
    public static final String UNDEFINED_VERSION = "undefined";

    /** Location reported for plugins found on the hub's own classpath. */
    public static final String CLASSPATH = "classpath";

    public PluginDescriptor {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(location, "location");
    }

    /** The class name without its package. */
    public String simpleName() {
        int dot = className.lastIndexOf('.');
        String simple = dot < 0 ? className : className.substring(dot + 1);
        int dollar = simple.lastIndexOf('$');
        return dollar < 0 ? simple : simple.substring(dollar + 1);
    }

    /**
     * The simple name without the type's suffix ({@code FileStreamSource} for {@code
     * FileStreamSourceConnector}), or the simple name when it has no such suffix.
     */
    public String prunedName() {
        String simple = simpleName();
        String suffix = type.aliasSuffix();
        if (simple.endsWith(suffix) && simple.length() > suffix.length()) {
            return simple.substring(0, simple.length() - suffix.length());
        }
        return simple;
    }
}
