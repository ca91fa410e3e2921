package io.sluice.core.validation;

import io.sluice.core.config.ConfigDefEnricher;
import io.sluice.core.config.ConnectorConfig;
import io.sluice.core.config.PluginReferences;
import io.sluice.core.config.SinkConnectorConfig;
import io.sluice.core.config.SourceConnectorConfig;
import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.plugin.PluginNotFoundException;
import io.sluice.core.plugin.Plugins;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.health.ConnectorType;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Validates a connector config the way Kafka Connect's {@code PUT
 * /connector-plugins/{type}/config/validate} does, and reports every problem at once, each on the
 * setting it concerns: connector-level settings (for sinks and sources), the settings each
 * transformation and predicate brings in, rules spanning several settings, and the connector's own
 * {@code validate()}.
 *
 * <p>Config provider references ({@code ${file:...}}) are resolved through the given resolver
 * before validation, but values are reported as written, so no resolved secret is returned.
 *
 * <p>Thread-safe; each call instantiates the connector (and each transformation and predicate)
 * afresh and may block on plugin code.
 */
public final class ConnectorValidator {

    private final Plugins plugins;
    private final UnaryOperator<Map<String, String>> referenceResolver;
    private final ConfigPolicy policy;
    /** The preflights for a connector class (as named in {@code connector.class}). */
    private final Function<String, List<Preflight>> preflights;

    /** A validator that checks references as plain text (no config providers). */
    public ConnectorValidator(Plugins plugins) {
        this(plugins, UnaryOperator.identity());
    }

    /** A validator that checks references as plain text and applies {@code policy}. */
    public ConnectorValidator(Plugins plugins, ConfigPolicy policy) {
        this(plugins, UnaryOperator.identity(), policy);
    }

    public ConnectorValidator(Plugins plugins, UnaryOperator<Map<String, String>> referenceResolver) {
        this(plugins, referenceResolver, ConfigPolicy.NONE);
    }

    /**
     * @param referenceResolver resolves {@code ${provider:path:key}} references in a config, for
     *     example {@code ConfigReferences::resolve}; it may throw for a reference it cannot resolve
     */
    public ConnectorValidator(
            Plugins plugins, UnaryOperator<Map<String, String>> referenceResolver, ConfigPolicy policy) {
        this(plugins, referenceResolver, policy, List.of());
    }

    /**
     * @param policy the hub's own limits on settings (e.g. which paths file connectors may use)
     * @param preflights checks against external systems, run once every setting is valid on its own
     */
    public ConnectorValidator(
            Plugins plugins,
            UnaryOperator<Map<String, String>> referenceResolver,
            ConfigPolicy policy,
            List<Preflight> preflights) {
        this(plugins, referenceResolver, policy, forEvery(preflights));
    }

    /**
     * @param policy the hub's own limits on settings (e.g. which paths file connectors may use)
     * @param preflightsFor the checks against external systems for a connector class (as named in
     *     {@code connector.class}), run once every setting is valid on its own
     */
    public ConnectorValidator(
            Plugins plugins,
            UnaryOperator<Map<String, String>> referenceResolver,
            ConfigPolicy policy,
            Function<String, List<Preflight>> preflightsFor) {
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.referenceResolver = Objects.requireNonNull(referenceResolver, "referenceResolver");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.preflights = Objects.requireNonNull(preflightsFor, "preflightsFor");
    }

    private static Function<String, List<Preflight>> forEvery(List<Preflight> preflights) {
        List<Preflight> all = List.copyOf(preflights);
        return connectorClass ->
                all.stream().filter(p -> p.appliesTo(connectorClass)).toList();
    }

    /** Validates {@code config}; never throws for a bad config, which is what the result is for. */
    public ConfigInfos validate(Map<String, String> config) {
        Map<String, String> errorsByKey = new HashMap<>();
        Map<String, String> resolved = resolveReferences(config, errorsByKey);
        String connectorClass = config.get(ConnectorConfig.CONNECTOR_CLASS_CONFIG);
        Connector connector = instantiate(connectorClass, errorsByKey);
        ConnectorType type = typeOf(connector);

        PluginReferences.Resolution classes = PluginReferences.resolve(resolved, plugins);
        errorsByKey.putAll(classes.errors());
        ConfigDef def = ConfigDefEnricher.enrich(baseDef(type), classes.config(), plugins);
        Map<String, ConfigValue> values;
        try (LoaderSwap ignored = LoaderSwap.to(plugins.classLoader())) {
            values = new java.util.LinkedHashMap<>(def.validateAll(classes.config()));
        }
        errorsByKey.forEach((key, error) -> CrossFieldChecks.addError(values, key, error));
        CrossFieldChecks.check(type, resolved, values);
        if (connectorClass != null && connector != null) {
            policy.check(connector.getClass().getName(), resolved)
                    .forEach((key, error) -> CrossFieldChecks.addError(values, key, error));
        }

        ConfigDef connectorDef = new ConfigDef();
        List<ConfigValue> connectorValues = List.of();
        if (connector != null) {
            try (LoaderSwap ignored = LoaderSwap.toLoaderOf(connector)) {
                ConfigDef own = connector.config();
                connectorDef = own == null ? connectorDef : own;
                connectorValues = connector.validate(resolved).configValues();
            } catch (RuntimeException | LinkageError e) {
                CrossFieldChecks.addError(
                        values, ConnectorConfig.CONNECTOR_CLASS_CONFIG, "The connector's own validation failed: " + e);
            }
        }
        preflight(connectorClass, resolved, values, connectorValues);
        return hideResolvedValues(
                config,
                resolved,
                ConfigInfosAssembler.assemble(connectorClass, def, values, connectorDef, connectorValues, config));
    }

    /**
     * Error messages quote the values they reject; a value a config provider resolved is a secret,
     * so it is replaced by the reference as written.
     */
    private static ConfigInfos hideResolvedValues(
            Map<String, String> written, Map<String, String> resolved, ConfigInfos infos) {
        List<Map.Entry<String, String>> secrets = resolved.entrySet().stream()
                .filter(e -> e.getValue() != null
                        && !e.getValue().isEmpty()
                        && !e.getValue().equals(written.get(e.getKey())))
                .toList();
        if (secrets.isEmpty()) {
            return infos;
        }
        List<ConfigInfo> out = new java.util.ArrayList<>(infos.configs().size());
        for (ConfigInfo info : infos.configs()) {
            ConfigValueInfo v = info.value();
            List<String> errors = v.errors().stream()
                    .map(message -> {
                        String hidden = message;
                        for (Map.Entry<String, String> secret : secrets) {
                            String reference = written.get(secret.getKey());
                            hidden = hidden.replace(secret.getValue(), reference == null ? "[hidden]" : reference);
                        }
                        return hidden;
                    })
                    .toList();
            out.add(new ConfigInfo(
                    info.definition(),
                    new ConfigValueInfo(v.name(), v.value(), v.recommendedValues(), errors, v.visible())));
        }
        return new ConfigInfos(infos.name(), infos.errorCount(), infos.groups(), out);
    }

    /** Runs the preflights for this connector class and puts their findings on the settings they name. */
    private void preflight(
            String connectorClass,
            Map<String, String> resolved,
            Map<String, ConfigValue> values,
            List<ConfigValue> connectorValues) {
        if (connectorClass == null) {
            return;
        }
        for (Preflight p : preflights.apply(connectorClass)) {
            boolean otherwiseValid =
                    values.values().stream().allMatch(v -> v.errorMessages().isEmpty())
                            && connectorValues.stream()
                                    .allMatch(v -> v.errorMessages().stream().allMatch(m -> p.supersedes(v.name(), m)));
            if (!otherwiseValid || resolved.values().stream().anyMatch(v -> v != null && v.contains("${"))) {
                continue; // settings to fix first, or references that could not be resolved here
            }
            Map<String, List<String>> found = p.check(resolved);
            if (found.isEmpty()) {
                continue;
            }
            Map<String, ConfigValue> byName = new HashMap<>();
            connectorValues.forEach(v -> {
                v.errorMessages().removeIf(m -> p.supersedes(v.name(), m));
                byName.put(v.name(), v);
            });
            found.forEach((setting, messages) -> messages.forEach(m -> {
                ConfigValue own = byName.get(setting);
                if (own != null) {
                    own.addErrorMessage(m);
                } else {
                    CrossFieldChecks.addError(values, setting, m);
                }
            }));
        }
    }

    private Map<String, String> resolveReferences(Map<String, String> config, Map<String, String> errorsByKey) {
        Map<String, String> resolved = new HashMap<>(config);
        config.forEach((key, value) -> {
            if (value == null || !value.contains("${")) {
                return;
            }
            try {
                resolved.putAll(referenceResolver.apply(Map.of(key, value)));
            } catch (RuntimeException e) {
                errorsByKey.put(key, "Could not resolve the config reference: " + e.getMessage());
            }
        });
        return resolved;
    }

    private Connector instantiate(String connectorClass, Map<String, String> errorsByKey) {
        if (connectorClass == null || connectorClass.isBlank()) {
            return null; // the required-setting check reports it
        }
        try {
            return plugins.newInstance(connectorClass, Connector.class);
        } catch (PluginNotFoundException e) {
            errorsByKey.put(ConnectorConfig.CONNECTOR_CLASS_CONFIG, e.getMessage());
            return null;
        }
    }

    private static ConnectorType typeOf(Connector connector) {
        if (connector instanceof SinkConnector) {
            return ConnectorType.SINK;
        }
        if (connector instanceof SourceConnector) {
            return ConnectorType.SOURCE;
        }
        return ConnectorType.UNKNOWN;
    }

    /** The connector-level definitions for a connector of {@code type}. */
    public static ConfigDef baseDef(ConnectorType type) {
        return switch (type) {
            case SINK -> SinkConnectorConfig.configDef();
            case SOURCE -> SourceConnectorConfig.configDef();
            default -> ConnectorConfig.configDef();
        };
    }
}
