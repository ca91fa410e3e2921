package io.sluice.core.plugin;

import java.util.Locale;

/**
 * How plugins under the plugin path are discovered; the names and meaning of Kafka Connect's
 * {@code plugin.discovery} worker setting. The hub's own classpath is always read through its
 * service manifests.
 */
public enum PluginDiscovery {
    /** Scan every class of every plugin; service manifests are ignored. Slowest. */
    ONLY_SCAN,
    /**
     * Read service manifests, and scan the classes of plugins that ship none; warn about each
     * plugin class found only by the scan. Kafka Connect's default.
     */
    HYBRID_WARN,
    /** As {@link #HYBRID_WARN}, but refuse to start while any plugin class lacks a manifest. */
    HYBRID_FAIL,
    /** Read service manifests only: plugins that ship none are not loaded. Fastest. */
    SERVICE_LOAD;

    /** Parses Kafka's spelling ({@code hybrid_warn}), case-insensitively. */
    public static PluginDiscovery parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("plugin.discovery must be one of only_scan, hybrid_warn, hybrid_fail,"
                    + " service_load; got '" + value + "'");
        }
    }

    /** Kafka's spelling, e.g. {@code hybrid_warn}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
