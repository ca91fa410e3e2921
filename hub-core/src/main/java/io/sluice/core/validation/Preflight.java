package io.sluice.core.validation;

import java.util.List;
import java.util.Map;

/**
 * Checks the hub runs, on validate and create, for a connector whose own {@code validate()} cannot
 * say precisely what is wrong (a third-party plugin blaming one setting for every database error):
 * it tries the external system the config names and reports each problem on the setting to fix.
 * Runs only once every setting is valid on its own. Implementations are thread-safe and may block
 * on the network for a few seconds.
 */
public interface Preflight {

    /** Whether this preflight is for connectors of {@code connectorClass}. */
    boolean appliesTo(String connectorClass);

    /** Errors by setting name (config references resolved); empty when the connector can start. */
    Map<String, List<String>> check(Map<String, String> config);

    /**
     * Whether the connector's own {@code message} on {@code setting} is a vaguer report of what this
     * preflight found; such messages are dropped when the preflight reports errors.
     */
    default boolean supersedes(String setting, String message) {
        return false;
    }
}
