package io.sluice.core.convert;

import io.sluice.core.config.ConnectorConfig;
import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.plugin.Plugins;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.ConverterConfig;
import org.apache.kafka.connect.storage.ConverterType;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

/**
 * Creates a connector's converters from the worker's defaults overridden by the connector's config.
 *
 * <p>The class comes from the connector's {@code key.converter} (or {@code value.converter}, {@code
 * header.converter}) if set, else from the worker's; the header converter defaults to Kafka's
 * {@link SimpleHeaderConverter}. Sub-settings are the prefix-stripped {@code key.converter.*} keys:
 * when the connector names its own class only its own sub-settings apply (as in Kafka Connect);
 * when it keeps the worker's class, its sub-settings override the worker's one by one, so {@code
 * value.converter.schemas.enable=false} alone works on a connector.
 *
 * <p>Classes are looked up by name or alias through {@link Plugins} and configured with the
 * plugin's loader as context loader. Kafka's {@code JsonConverter} with schemas enabled is handed out
 * as a {@link SchemaCachingJsonConverter} (same bytes, schema serialised once). Thread-safe; each call returns new converter instances.
 */
public final class ConverterFactory {

    private final Plugins plugins;
    private final Map<String, String> workerConfig;

    /** @param workerConfig the worker's settings, including its {@code key.converter*} defaults */
    public ConverterFactory(Plugins plugins, Map<String, String> workerConfig) {
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.workerConfig = Map.copyOf(workerConfig);
    }

    /** The three converters of a connector. */
    public ConnectorConverters create(Map<String, String> connectorConfig) {
        return new ConnectorConverters(
                keyConverter(connectorConfig), valueConverter(connectorConfig), headerConverter(connectorConfig));
    }

    /** @throws ConfigException naming {@code key.converter} if neither config names a class */
    public Converter keyConverter(Map<String, String> connectorConfig) {
        return converter(connectorConfig, ConnectorConfig.KEY_CONVERTER_CLASS_CONFIG, ConverterType.KEY);
    }

    /** @throws ConfigException naming {@code value.converter} if neither config names a class */
    public Converter valueConverter(Map<String, String> connectorConfig) {
        return converter(connectorConfig, ConnectorConfig.VALUE_CONVERTER_CLASS_CONFIG, ConverterType.VALUE);
    }

    public HeaderConverter headerConverter(Map<String, String> connectorConfig) {
        String setting = ConnectorConfig.HEADER_CONVERTER_CLASS_CONFIG;
        String className = className(connectorConfig, setting, SimpleHeaderConverter.class.getName());
        HeaderConverter converter = plugins.newInstance(className, HeaderConverter.class);
        Map<String, Object> settings = subSettings(connectorConfig, setting, ConverterType.HEADER);
        try (LoaderSwap ignored = LoaderSwap.toLoaderOf(converter)) {
            converter.configure(settings);
        }
        return converter;
    }

    private Converter converter(Map<String, String> connectorConfig, String setting, ConverterType type) {
        String className = className(connectorConfig, setting, null);
        if (className == null) {
            throw new ConfigException(setting, null, "Neither the connector nor the worker names a converter class");
        }
        Converter converter = plugins.newInstance(className, Converter.class);
        Map<String, Object> settings = subSettings(connectorConfig, setting, type);
        try (LoaderSwap ignored = LoaderSwap.toLoaderOf(converter)) {
            converter.configure(settings, type == ConverterType.KEY);
        }
        if (SchemaCachingJsonConverter.canWrap(converter, settings)) {
            return new SchemaCachingJsonConverter(
                    (org.apache.kafka.connect.json.JsonConverter) converter, settings, type == ConverterType.KEY);
        }
        return converter;
    }

    private String className(Map<String, String> connectorConfig, String setting, String fallback) {
        String own = connectorConfig.get(setting);
        if (own != null && !own.isBlank()) {
            return own.trim();
        }
        String worker = workerConfig.get(setting);
        return worker != null && !worker.isBlank() ? worker.trim() : fallback;
    }

    private Map<String, Object> subSettings(Map<String, String> connectorConfig, String setting, ConverterType type) {
        String prefix = setting + ".";
        Map<String, Object> settings = new HashMap<>();
        boolean ownClass = connectorConfig.get(setting) != null
                && !connectorConfig.get(setting).isBlank();
        if (!ownClass) {
            settings.putAll(withoutPrefix(workerConfig, prefix));
        }
        settings.putAll(withoutPrefix(connectorConfig, prefix));
        settings.put(ConverterConfig.TYPE_CONFIG, type.getName());
        return settings;
    }

    private static Map<String, String> withoutPrefix(Map<String, String> config, String prefix) {
        Map<String, String> stripped = new HashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                stripped.put(key.substring(prefix.length()), value);
            }
        });
        return stripped;
    }
}
