package io.sluice.core.validation;

import java.util.List;

/**
 * A setting's definition as Kafka Connect's REST API shows it. Enum-like fields hold Kafka's
 * constant names ({@code STRING}, {@code HIGH}, {@code MEDIUM}). Immutable.
 *
 * @param defaultValue the default rendered as text ({@code [hidden]} for passwords); null when the
 *     setting is required or its default is null
 */
public record ConfigKeyInfo(
        String name,
        String type,
        boolean required,
        String defaultValue,
        String importance,
        String documentation,
        String group,
        int orderInGroup,
        String width,
        String displayName,
        List<String> dependents) {

    public ConfigKeyInfo {
        dependents = List.copyOf(dependents);
    }
}
