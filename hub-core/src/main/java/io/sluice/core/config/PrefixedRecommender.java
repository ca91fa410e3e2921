package io.sluice.core.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Adapts a plugin's recommender to settings embedded under a prefix: the plugin sees its own,
 * unprefixed names. Thread-safe if the wrapped recommender is.
 */
final class PrefixedRecommender implements ConfigDef.Recommender {

    private final String prefix;
    private final ConfigDef.Recommender delegate;

    PrefixedRecommender(String prefix, ConfigDef.Recommender delegate) {
        this.prefix = prefix;
        this.delegate = delegate;
    }

    @Override
    public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
        return delegate.validValues(strip(name), unprefixed(parsedConfig));
    }

    @Override
    public boolean visible(String name, Map<String, Object> parsedConfig) {
        return delegate.visible(strip(name), unprefixed(parsedConfig));
    }

    private String strip(String name) {
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    private Map<String, Object> unprefixed(Map<String, Object> parsedConfig) {
        Map<String, Object> own = new HashMap<>();
        parsedConfig.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                own.put(key.substring(prefix.length()), value);
            }
        });
        return own;
    }
}
