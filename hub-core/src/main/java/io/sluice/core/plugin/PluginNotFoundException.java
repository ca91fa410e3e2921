package io.sluice.core.plugin;

import org.apache.kafka.connect.errors.ConnectException;

/** No plugin, or more than one, matches a class name or alias. */
public class PluginNotFoundException extends ConnectException {

    private static final long serialVersionUID = 1L;

    public PluginNotFoundException(String message) {
        super(message);
    }

    public PluginNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
