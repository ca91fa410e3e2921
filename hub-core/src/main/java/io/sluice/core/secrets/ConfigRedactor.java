package io.sluice.core.secrets;

import io.sluice.core.config.ConfigDefEnricher;
import io.sluice.core.config.ConnectorConfig;
import io.sluice.core.config.PluginReferences;
import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.validation.ConnectorValidator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.health.ConnectorType;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Replaces secret values with {@code [hidden]} before a config is returned by the REST API, shown
 * in the UI or logged. A value is secret when its setting is {@code PASSWORD}-typed in the
 * connector-level definitions, the connector's own {@code config()} or an enriched transform or
 * predicate definition. Settings no definition knows (e.g. when the connector class cannot be
 * loaded) are hidden when their name looks like a secret ({@code password}, {@code secret}, {@code
 * token}, {@code credentials}, {@code jaas}, {@code api.key}, {@code private.key}).
 *
 * <p>Thread-safe; each call may instantiate the connector to read its definition.
 */
public final class ConfigRedactor {

    public static final String HIDDEN = Password.HIDDEN;

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(password|passwd|secret|token|credential|jaas|api[._-]?key|private[._-]?key).*");

    private final Plugins plugins;

    public ConfigRedactor(Plugins plugins) {
        this.plugins = plugins;
    }

    /** A copy of {@code config} with every secret value replaced by {@code [hidden]}. */
    public Map<String, String> redact(Map<String, String> config) {
        return redact(config, definitionOf(config));
    }

    /** A copy of {@code config} hiding values that {@code def} types as PASSWORD. */
    public static Map<String, String> redact(Map<String, String> config, ConfigDef def) {
        Map<String, String> redacted = new LinkedHashMap<>();
        config.forEach((key, value) -> redacted.put(key, isSecret(key, def) && value != null ? HIDDEN : value));
        return redacted;
    }

    /** Whether {@code key} holds a secret according to {@code def}, or by its name if undefined. */
    public static boolean isSecret(String key, ConfigDef def) {
        ConfigDef.ConfigKey definition = def.configKeys().get(key);
        if (definition != null) {
            return definition.type == ConfigDef.Type.PASSWORD;
        }
        return SECRET_NAME.matcher(key).matches();
    }

    /** Every definition that applies to {@code config}: connector-level, connector, transforms. */
    public ConfigDef definitionOf(Map<String, String> config) {
        Connector connector = connector(config.get(ConnectorConfig.CONNECTOR_CLASS_CONFIG));
        ConnectorType type = connector instanceof SinkConnector
                ? ConnectorType.SINK
                : connector instanceof SourceConnector ? ConnectorType.SOURCE : ConnectorType.UNKNOWN;
        PluginReferences.Resolution resolved = PluginReferences.resolve(config, plugins);
        ConfigDef def = ConfigDefEnricher.enrich(ConnectorValidator.baseDef(type), resolved.config(), plugins);
        if (connector != null) {
            try (LoaderSwap ignored = LoaderSwap.toLoaderOf(connector)) {
                ConfigDef own = connector.config();
                if (own != null) {
                    own.configKeys().values().stream()
                            .filter(key -> !def.configKeys().containsKey(key.name))
                            .forEach(def::define);
                }
            } catch (RuntimeException | LinkageError e) {
                // fall back to the names of the settings
            }
        }
        return def;
    }

    private Connector connector(String connectorClass) {
        if (connectorClass == null || connectorClass.isBlank()) {
            return null;
        }
        try {
            return plugins.newInstance(connectorClass, Connector.class);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
