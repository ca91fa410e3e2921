package io.sluice.rest.plugins;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.core.plugin.PluginDescriptor;
import io.sluice.core.validation.ConfigInfo;
import io.sluice.core.validation.ConfigInfos;
import io.sluice.core.validation.ConfigKeyInfo;
import io.sluice.core.validation.ConfigValueInfo;
import java.util.List;

/** The JSON shapes of {@code /connector-plugins}, field for field as Kafka Connect 4.3 writes them. */
public final class PluginJson {

    private PluginJson() {}

    /** {@code {"class", "type", "version"}}; the version is left out when the plugin has none. */
    public record Plugin(
            @JsonProperty("class") String className,
            @JsonProperty("type") String type,

            @JsonProperty("version") @JsonInclude(JsonInclude.Include.NON_NULL)
            String version) {
        static Plugin of(PluginDescriptor d) {
            String version = PluginDescriptor.UNDEFINED_VERSION.equals(d.version()) ? null : d.version();
            return new Plugin(d.className(), d.type().jsonName(), version);
        }
    }

    /** A setting's definition. */
    public record Definition(
            @JsonProperty("name") String name,
            @JsonProperty("type") String type,
            @JsonProperty("required") boolean required,
            @JsonProperty("default_value") String defaultValue,
            @JsonProperty("importance") String importance,
            @JsonProperty("documentation") String documentation,
            @JsonProperty("group") String group,
            @JsonProperty("order_in_group") int orderInGroup,
            @JsonProperty("width") String width,
            @JsonProperty("display_name") String displayName,
            @JsonProperty("dependents") List<String> dependents) {
        static Definition of(ConfigKeyInfo k) {
            return new Definition(
                    k.name(),
                    k.type(),
                    k.required(),
                    k.defaultValue(),
                    k.importance(),
                    k.documentation(),
                    k.group(),
                    k.orderInGroup(),
                    k.width(),
                    k.displayName(),
                    k.dependents());
        }
    }

    /** A setting's validated value. */
    public record Value(
            @JsonProperty("name") String name,
            @JsonProperty("value") String value,
            @JsonProperty("recommended_values") List<String> recommendedValues,
            @JsonProperty("errors") List<String> errors,
            @JsonProperty("visible") boolean visible) {
        static Value of(ConfigValueInfo v) {
            return new Value(v.name(), v.value(), v.recommendedValues(), v.errors(), v.visible());
        }
    }

    /** One setting of a validation result. */
    public record Config(
            @JsonProperty("definition") Definition definition,
            @JsonProperty("value") Value value) {
        static Config of(ConfigInfo c) {
            return new Config(c.definition() == null ? null : Definition.of(c.definition()), Value.of(c.value()));
        }
    }

    /** {@code PUT /connector-plugins/{plugin}/config/validate}. */
    public record Validation(
            @JsonProperty("name") String name,
            @JsonProperty("error_count") int errorCount,
            @JsonProperty("groups") List<String> groups,
            @JsonProperty("configs") List<Config> configs) {
        static Validation of(ConfigInfos infos) {
            return new Validation(
                    infos.name(),
                    infos.errorCount(),
                    infos.groups(),
                    infos.configs().stream().map(Config::of).toList());
        }
    }
}
