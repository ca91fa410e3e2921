package io.sluice.core.config;

import io.sluice.core.plugin.PluginDescriptor;
import io.sluice.core.plugin.PluginNotFoundException;
import io.sluice.core.plugin.Plugins;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * Replaces plugin aliases in class-valued settings ({@code key.converter}, {@code
 * transforms.<alias>.type}, ...) with fully qualified class names, so Kafka's {@code CLASS} parsing
 * finds them. Stateless and thread-safe.
 */
public final class PluginReferences {

    private PluginReferences() {}

    /**
     * The config with aliases resolved, and an error per setting whose alias matches several
     * plugins. Unknown names are left as written: parsing the setting reports them.
     */
    public record Resolution(Map<String, String> config, Map<String, String> errors) {}

    /** Which plugin interface each class-valued setting of {@code config} must implement. */
    public static Map<String, Class<?>> classSettings(Map<String, String> config) {
        Map<String, Class<?>> settings = new LinkedHashMap<>();
        settings.put(ConnectorConfig.KEY_CONVERTER_CLASS_CONFIG, Converter.class);
        settings.put(ConnectorConfig.VALUE_CONVERTER_CLASS_CONFIG, Converter.class);
        settings.put(ConnectorConfig.HEADER_CONVERTER_CLASS_CONFIG, HeaderConverter.class);
        for (String alias : aliases(config, ConnectorConfig.TRANSFORMS_CONFIG)) {
            settings.put(ConnectorConfig.TRANSFORMS_CONFIG + "." + alias + ".type", Transformation.class);
        }
        for (String alias : aliases(config, ConnectorConfig.PREDICATES_CONFIG)) {
            settings.put(ConnectorConfig.PREDICATES_CONFIG + "." + alias + ".type", Predicate.class);
        }
        return settings;
    }

    /** Resolves every class-valued setting of {@code config} through {@code plugins}. */
    public static Resolution resolve(Map<String, String> config, Plugins plugins) {
        Map<String, String> resolved = new HashMap<>(config);
        Map<String, String> errors = new HashMap<>();
        for (Map.Entry<String, Class<?>> setting : classSettings(config).entrySet()) {
            String value = config.get(setting.getKey());
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                Optional<PluginDescriptor> found = plugins.find(value, setting.getValue());
                if (found.isPresent()) {
                    resolved.put(setting.getKey(), found.get().className());
                } else if (setting.getValue() == Converter.class || setting.getValue() == HeaderConverter.class) {
                    // transformation and predicate types are checked where their definitions are added
                    wrongType(setting.getKey(), value.trim(), setting.getValue(), plugins)
                            .ifPresent(error -> errors.put(setting.getKey(), error));
                }
            } catch (PluginNotFoundException ambiguous) {
                errors.put(setting.getKey(), ambiguous.getMessage());
            }
        }
        return new Resolution(resolved, errors);
    }

    /**
     * Why {@code className}, which names no plugin of {@code required}'s kind, cannot be used there,
     * as Kafka Connect says it; empty when no such class exists (parsing the setting reports that).
     */
    private static Optional<String> wrongType(String key, String className, Class<?> required, Plugins plugins) {
        Class<?> named;
        try {
            named = Class.forName(className, false, plugins.classLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        if (!required.isAssignableFrom(named)) {
            return Optional.of("Invalid value " + className + " for configuration " + key + ": Class " + className
                    + " is not a subclass of " + required.getName());
        }
        if (named.isInterface() || Modifier.isAbstract(named.getModifiers())) {
            return Optional.of("Invalid value " + className + " for configuration " + key + ": Class " + className
                    + " is abstract and cannot be created");
        }
        return Optional.empty();
    }

    /** The aliases listed in a comma-separated setting, trimmed, without empty entries. */
    public static List<String> aliases(Map<String, String> config, String listSetting) {
        String value = config.get(listSetting);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .distinct()
                .toList();
    }
}
