package io.sluice.core.plugin;

import java.util.List;
import java.util.Set;

/**
 * Decides which classes every plugin must share with the hub, so they are always loaded by the
 * hub's class loader (parent first): the JDK, SLF4J, Kafka's client library and Kafka Connect's
 * API packages. Everything else, including Kafka's converter and transformation implementations, is
 * loaded from the plugin first, so a plugin may bundle its own copy. Stateless and thread-safe.
 */
final class SharedClasses {

    private static final List<String> SHARED_PREFIXES = List.of(
            "java.",
            "javax.",
            "jdk.",
            "sun.",
            "com.sun.",
            "org.slf4j.",
            "org.w3c.dom.",
            "org.xml.sax.",
            "org.ietf.jgss.");

    private static final String KAFKA = "org.apache.kafka.";
    private static final String CONNECT = "org.apache.kafka.connect.";

    /** Connect packages that make up the API a plugin and the hub talk through. */
    private static final Set<String> CONNECT_API_PACKAGES = Set.of(
            "components",
            "connector",
            "connector.policy",
            "data",
            "errors",
            "header",
            "health",
            "rest",
            "sink",
            "source",
            "storage",
            "util");

    /** API types living in packages that otherwise hold implementations. */
    private static final Set<String> CONNECT_API_CLASSES = Set.of(
            "org.apache.kafka.connect.transforms.Transformation",
            "org.apache.kafka.connect.transforms.predicates.Predicate");

    private SharedClasses() {}

    /** Whether {@code className} must come from the hub's loader rather than the plugin's. */
    static boolean isShared(String className) {
        for (String prefix : SHARED_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        if (!className.startsWith(KAFKA)) {
            return false;
        }
        if (!className.startsWith(CONNECT)) {
            return true;
        }
        String outer = stripNested(className);
        if (CONNECT_API_CLASSES.contains(outer)) {
            return true;
        }
        int lastDot = outer.lastIndexOf('.');
        String pkg = outer.substring(CONNECT.length(), Math.max(CONNECT.length(), lastDot));
        return CONNECT_API_PACKAGES.contains(pkg);
    }

    /** Whether a resource path (as passed to {@code getResource}) belongs to a shared package. */
    static boolean isSharedResource(String resourceName) {
        if (!resourceName.endsWith(".class")) {
            return false;
        }
        String className = resourceName
                .substring(0, resourceName.length() - ".class".length())
                .replace('/', '.');
        return isShared(className);
    }

    private static String stripNested(String className) {
        int dollar = className.indexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }
}
