package io.sluice.core.secrets;

import io.sluice.core.config.PluginReferences;
import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.plugin.PluginNotFoundException;
import io.sluice.core.plugin.Plugins;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's config providers, created from its settings: {@code config.providers} lists names,
 * {@code config.providers.<name>.class} the class (full name or alias, e.g. {@code
 * EnvVarConfigProvider}), {@code config.providers.<name>.param.*} its settings.
 *
 * <p>Thread-safe after construction as far as the providers are (Kafka's are). {@link #close()}
 * closes every provider; call it when the worker stops.
 */
public final class ConfigProviders implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigProviders.class);
    public static final String CONFIG_PROVIDERS_CONFIG = "config.providers";

    private final Map<String, ConfigProvider> providers;

    private ConfigProviders(Map<String, ConfigProvider> providers) {
        this.providers = Collections.unmodifiableMap(providers);
    }

    /**
     * Creates and configures the providers named in {@code workerConfig}.
     *
     * @throws ConfigException naming the setting at fault; providers already created are closed
     */
    public static ConfigProviders fromWorkerConfig(Map<String, String> workerConfig, Plugins plugins) {
        Map<String, ConfigProvider> created = new LinkedHashMap<>();
        try {
            for (String name : PluginReferences.aliases(workerConfig, CONFIG_PROVIDERS_CONFIG)) {
                created.put(name, create(name, workerConfig, plugins));
            }
        } catch (RuntimeException e) {
            new ConfigProviders(created).close();
            throw e;
        }
        return new ConfigProviders(created);
    }

    private static ConfigProvider create(String name, Map<String, String> workerConfig, Plugins plugins) {
        String classKey = CONFIG_PROVIDERS_CONFIG + "." + name + ".class";
        String className = workerConfig.get(classKey);
        if (className == null || className.isBlank()) {
            throw new ConfigException(classKey, null, "Missing the class of config provider '" + name + "'");
        }
        ConfigProvider provider;
        try {
            provider = plugins.newInstance(className, ConfigProvider.class);
        } catch (PluginNotFoundException e) {
            throw new ConfigException(classKey, className, e.getMessage());
        }
        String paramPrefix = CONFIG_PROVIDERS_CONFIG + "." + name + ".param.";
        Map<String, String> params = new HashMap<>();
        workerConfig.forEach((key, value) -> {
            if (key.startsWith(paramPrefix)) {
                params.put(key.substring(paramPrefix.length()), value);
            }
        });
        try (LoaderSwap ignored = LoaderSwap.toLoaderOf(provider)) {
            provider.configure(params);
        }
        return provider;
    }

    /** The providers by name, for Kafka's {@link org.apache.kafka.common.config.ConfigTransformer}. */
    public Map<String, ConfigProvider> byName() {
        return providers;
    }

    @Override
    public void close() {
        for (Map.Entry<String, ConfigProvider> entry : providers.entrySet()) {
            try (LoaderSwap ignored = LoaderSwap.toLoaderOf(entry.getValue())) {
                entry.getValue().close();
            } catch (IOException | RuntimeException e) {
                log.warn("Could not close config provider {}", entry.getKey(), e);
            }
        }
    }
}
