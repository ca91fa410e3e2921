package io.sluice.core.validation;

import java.util.Map;

/**
 * A worker's own rule on connector configs beyond what the connector declares (for example where
 * file connectors may read and write). Implementations are thread-safe and must not echo resolved
 * config values in their messages.
 */
@FunctionalInterface
public interface ConfigPolicy {

    /** Accepts every config. */
    ConfigPolicy NONE = (connectorClass, config) -> Map.of();

    /**
     * Problems with {@code config} (references already resolved) for a connector of class {@code
     * connectorClass}, by setting name; empty when it is acceptable.
     */
    Map<String, String> check(String connectorClass, Map<String, String> config);
}
