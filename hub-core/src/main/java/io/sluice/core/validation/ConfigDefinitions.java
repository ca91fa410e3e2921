package io.sluice.core.validation;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Describes a {@link ConfigDef} as the records the REST API serves for {@code GET
 * /connector-plugins/{plugin}/config}. Stateless and thread-safe.
 */
public final class ConfigDefinitions {

    private ConfigDefinitions() {}

    /** One entry per setting of {@code def}, in definition order; password defaults hidden. */
    public static List<ConfigKeyInfo> describe(ConfigDef def) {
        return def.configKeys().values().stream()
                .filter(key -> !key.internalConfig)
                .map(ConfigInfosAssembler::definition)
                .toList();
    }
}
