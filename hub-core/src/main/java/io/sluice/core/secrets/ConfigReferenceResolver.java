package io.sluice.core.secrets;

import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigTransformer;

/**
 * Replaces {@code ${provider:path:key}} and {@code ${provider:key}} references with the values the
 * named config provider returns, using Kafka's {@link ConfigTransformer}. Call it when a connector
 * or task starts, on a copy: the stored config keeps the references as written. A reference to an
 * unknown provider is left unchanged.
 *
 * <p>Thread-safe if the providers are; each call may block on them (files, environment).
 */
public final class ConfigReferenceResolver {

    private static final Pattern REFERENCE = ConfigTransformer.DEFAULT_PATTERN;

    private final ConfigProviders providers;

    public ConfigReferenceResolver(ConfigProviders providers) {
        this.providers = providers;
    }

    /**
     * A new map with every resolvable reference replaced.
     *
     * @throws org.apache.kafka.common.config.ConfigException if a provider cannot read a referenced
     *     path or key
     */
    public Map<String, String> resolve(Map<String, String> config) {
        if (!hasReferences(config)) {
            return Map.copyOf(config);
        }
        return new ConfigTransformer(providers.byName()).transform(config).data();
    }

    /** Whether any value of {@code config} holds a reference. */
    public static boolean hasReferences(Map<String, String> config) {
        return config.values().stream()
                .anyMatch(v -> v != null && REFERENCE.matcher(v).find());
    }
}
