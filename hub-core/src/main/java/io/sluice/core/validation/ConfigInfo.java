package io.sluice.core.validation;

/**
 * One setting in a {@link ConfigInfos}: its definition (null when a connector reported a value for
 * a setting it does not define) and its validated value. Immutable.
 */
public record ConfigInfo(ConfigKeyInfo definition, ConfigValueInfo value) {}
