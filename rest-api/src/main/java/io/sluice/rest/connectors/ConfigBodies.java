package io.sluice.rest.connectors;

import io.sluice.rest.errors.RestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks a connector config sent in a request body before it reaches the service. Stateless. */
final class ConfigBodies {

    private ConfigBodies() {}

    /**
     * A mutable copy of {@code config}.
     *
     * @param field the body field holding it, for messages; null when the config is the whole body
     * @throws RestException 400 when it is missing or has null values (naming every such setting)
     */
    static Map<String, String> requireConfig(Map<String, String> config, String field) {
        String what = field == null ? "Request body" : "Field '" + field + "'";
        if (config == null) {
            throw RestException.badRequest(what + " must be a JSON object of connector settings");
        }
        List<String> nulls = new ArrayList<>();
        config.forEach((k, v) -> {
            if (v == null) {
                nulls.add(k);
            }
        });
        if (!nulls.isEmpty()) {
            throw RestException.badRequest(
                    "Settings must not be null (to remove a setting, leave it out or use PATCH): " + nulls);
        }
        return new LinkedHashMap<>(config);
    }

    /** Puts the name into the config, as Kafka does; 400 when the config names another connector. */
    static void checkName(String name, Map<String, String> config) {
        String included = config.get("name");
        if (included != null && !included.equals(name)) {
            throw RestException.badRequest("Connector name configuration (" + included
                    + ") doesn't match connector name in the URL (" + name + ")");
        }
        config.put("name", name);
    }
}
