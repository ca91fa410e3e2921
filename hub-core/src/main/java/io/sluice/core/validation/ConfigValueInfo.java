package io.sluice.core.validation;

import java.util.List;

/**
 * A setting's validated value as Kafka Connect's REST API shows it. Password values are always
 * {@code [hidden]}. Immutable.
 *
 * @param value the value as text, as written when it holds a config provider reference
 * @param errors every problem found with this setting; empty when it is valid
 */
public record ConfigValueInfo(
        String name, String value, List<String> recommendedValues, List<String> errors, boolean visible) {

    public ConfigValueInfo {
        recommendedValues = List.copyOf(recommendedValues);
        errors = List.copyOf(errors);
    }
}
