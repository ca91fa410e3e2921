package io.sluice.core.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;

/**
 * Turns definitions and validated values into the {@link ConfigInfos} records: merges the
 * connector-level results with the connector's own (errors of a setting both report are combined),
 * renders values as text and hides passwords. Stateless and thread-safe.
 */
final class ConfigInfosAssembler {

    static final String HIDDEN = Password.HIDDEN;

    private ConfigInfosAssembler() {}

    static ConfigInfos assemble(
            String name,
            ConfigDef connectorLevel,
            Map<String, ConfigValue> connectorLevelValues,
            ConfigDef connectorDef,
            Collection<ConfigValue> connectorValues,
            Map<String, String> rawConfig) {
        Map<String, ConfigKey> keys = new LinkedHashMap<>(connectorLevel.configKeys());
        connectorDef.configKeys().forEach(keys::putIfAbsent);
        Set<String> groups = new LinkedHashSet<>(connectorLevel.groups());
        groups.addAll(connectorDef.groups());

        Map<String, ConfigValue> values = new LinkedHashMap<>(connectorLevelValues);
        for (ConfigValue own : connectorValues) {
            ConfigValue existing = values.putIfAbsent(own.name(), own);
            if (existing != null && existing != own) {
                own.errorMessages().stream()
                        .filter(e -> !existing.errorMessages().contains(e))
                        .forEach(existing::addErrorMessage);
            }
        }

        List<ConfigInfo> infos = new ArrayList<>();
        int errorCount = 0;
        for (ConfigValue value : values.values()) {
            ConfigKey key = keys.get(value.name());
            ConfigValueInfo info = value(value, key, rawConfig);
            errorCount += info.errors().size();
            infos.add(new ConfigInfo(key == null ? null : definition(key), info));
        }
        return new ConfigInfos(name, errorCount, new ArrayList<>(groups), infos);
    }

    static ConfigKeyInfo definition(ConfigKey key) {
        String defaultValue = key.hasDefault() ? text(key.defaultValue, key.type) : null;
        return new ConfigKeyInfo(
                key.name,
                key.type.name(),
                !key.hasDefault(),
                defaultValue,
                key.importance == null ? null : key.importance.name(),
                key.documentation,
                key.group,
                key.orderInGroup,
                key.width == null ? null : key.width.name(),
                key.displayName,
                key.dependents == null ? List.of() : key.dependents);
    }

    private static ConfigValueInfo value(ConfigValue value, ConfigKey key, Map<String, String> rawConfig) {
        ConfigDef.Type type = key == null ? null : key.type;
        String raw = rawConfig.get(value.name());
        String text;
        if (raw != null && raw.contains("${")) {
            text = type == ConfigDef.Type.PASSWORD ? HIDDEN : raw; // never the resolved secret
        } else {
            text = text(value.value(), type);
        }
        List<String> recommended = value.recommendedValues() == null
                ? List.of()
                : value.recommendedValues().stream().map(v -> text(v, type)).toList();
        return new ConfigValueInfo(value.name(), text, recommended, errors(value, raw), value.visible());
    }

    /**
     * The value's errors without the follow-up "Invalid value null" that Kafka's validators add
     * after a value failed to parse: the parse error already names the value that was written.
     */
    private static List<String> errors(ConfigValue value, String raw) {
        if (raw == null || value.errorMessages().size() < 2) {
            return value.errorMessages();
        }
        String followUp = "Invalid value null for configuration " + value.name();
        return value.errorMessages().stream()
                .filter(e -> !e.startsWith(followUp))
                .toList();
    }

    /** Renders a parsed or raw value as Kafka Connect shows it; passwords are always hidden. */
    static String text(Object value, ConfigDef.Type type) {
        if (value == null) {
            return null;
        }
        if (type == ConfigDef.Type.PASSWORD || value instanceof Password) {
            return HIDDEN;
        }
        if (value instanceof Class<?> c) {
            return c.getName();
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return value.toString();
    }
}
