package io.sluice.core.plugin;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides which classes a plugin shares with the hub (loaded parent first by the hub's class
 * loader) and which it may bring itself (child first), by the rules Kafka Connect's plugin
 * isolation uses, so a plugin that runs on Kafka Connect finds the same classes here.
 *
 * <ul>
 *   <li>From the hub: the JDK's {@code java.*}, the Java SE/EE {@code javax.*} packages, the DOM
 *       and SAX packages, SLF4J, the hub's own API under {@code io.sluice.core} (so a plugin's
 *       {@code io.sluice.core.extension.ConnectorExtension} is the hub's, even if the plugin bundles a
 *       copy), and everything under {@code org.apache.kafka} (clients, the
 *       Connect API and Kafka's {@code connect-runtime} classes some plugins use, such as {@code
 *       InternalSinkRecord}).
 *   <li>From the plugin first: everything else, and these Kafka packages that ship plugins
 *       rather than API: {@code connect.transforms} (but not {@code Transformation} or {@code
 *       Predicate}), {@code connect.json}, {@code connect.file}, {@code connect.mirror}, {@code
 *       connect.converters}, {@code StringConverter}, {@code SimpleHeaderConverter}, the
 *       client-config override policies and config providers (but not their interfaces).
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class SharedClasses {

    /** {@code javax} packages of Java SE and EE: a plugin never brings its own copy of these. */
    private static final List<String> JAVAX_PACKAGES = List.of(
            "accessibility",
            "activation",
            "activity",
            "annotation",
            "batch.api",
            "batch.operations",
            "batch.runtime",
            "crypto",
            "decorator",
            "ejb",
            "el",
            "enterprise.concurrent",
            "enterprise.context",
            "enterprise.deploy",
            "enterprise.event",
            "enterprise.inject",
            "enterprise.util",
            "faces",
            "imageio",
            "inject",
            "interceptor",
            "jms",
            "json",
            "jws",
            "lang.model",
            "mail",
            "management",
            "naming",
            "net",
            "persistence",
            "print",
            "resource",
            "rmi",
            "script",
            "security.auth",
            "security.cert",
            "security.jacc",
            "security.sasl",
            "servlet",
            "sound.midi",
            "sound.sampled",
            "sql",
            "swing",
            "tools",
            "transaction",
            "validation",
            "websocket",
            "ws.rs",
            "xml");

    private static final List<String> HUB_PREFIXES = List.of(
            "java.", "org.ietf.jgss.", "org.omg.", "org.w3c.dom.", "org.xml.sax.", "org.slf4j.", "io.sluice.core.");

    private static final String KAFKA = "org.apache.kafka.";

    /** Kafka classes that are plugins, not API, so a plugin may bundle its own version. */
    private static final Pattern KAFKA_PLUGIN_CLASSES = Pattern.compile("org\\.apache\\.kafka\\.(?:connect\\.(?:"
            + "transforms\\.(?!Transformation$|predicates\\.Predicate$).+"
            + "|json\\..+"
            + "|file\\..+"
            + "|mirror\\..+"
            + "|mirror-client\\..+"
            + "|converters\\..+"
            + "|storage\\.StringConverter"
            + "|storage\\.SimpleHeaderConverter"
            + "|rest\\.basic\\.auth\\.extension\\.BasicAuthSecurityRestExtension"
            + "|connector\\.policy\\.(?!ConnectorClientConfig(?:OverridePolicy|Request(?:\\$ClientType)?)$).+"
            + ")"
            + "|common\\.config\\.provider\\.(?!ConfigProvider$).+"
            + ")");

    private SharedClasses() {}

    /** Whether {@code className} must come from the hub's loader rather than the plugin's. */
    static boolean isShared(String className) {
        if (className.startsWith(KAFKA)) {
            return !KAFKA_PLUGIN_CLASSES.matcher(className).matches();
        }
        for (String prefix : HUB_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        if (className.startsWith("javax.")) {
            for (String pkg : JAVAX_PACKAGES) {
                if (className.startsWith(pkg + ".", "javax.".length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a resource path (as passed to {@code getResource}) belongs to a shared class. */
    static boolean isSharedResource(String resourceName) {
        if (!resourceName.endsWith(".class")) {
            return false;
        }
        String className = resourceName
                .substring(0, resourceName.length() - ".class".length())
                .replace('/', '.');
        return isShared(className);
    }
}
