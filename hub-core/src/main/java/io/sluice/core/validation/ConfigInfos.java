package io.sluice.core.validation;

import java.util.List;

/**
 * The result of validating a connector config, shaped like Kafka Connect's {@code ConfigInfos}.
 * The REST layer serialises component names in snake case ({@code error_count}). Immutable.
 *
 * @param name the connector class as given in {@code connector.class}
 * @param errorCount the number of error messages across all settings; 0 means the config is valid
 * @param groups the display groups, in order
 * @param configs one entry per setting
 */
public record ConfigInfos(String name, int errorCount, List<String> groups, List<ConfigInfo> configs) {

    public ConfigInfos {
        groups = List.copyOf(groups);
        configs = List.copyOf(configs);
    }

    /** The entry for {@code settingName}, if the result has one. */
    public java.util.Optional<ConfigInfo> config(String settingName) {
        return configs.stream()
                .filter(c -> c.value().name().equals(settingName))
                .findFirst();
    }

    /** Error messages of {@code settingName}; empty if it has none or is absent. */
    public List<String> errors(String settingName) {
        return config(settingName).map(c -> c.value().errors()).orElse(List.of());
    }
}
