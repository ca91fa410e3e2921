package io.sluice.core.config;

import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.plugin.Plugins;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extends a connector-level {@link ConfigDef} with the settings a particular config brings in: for
 * each alias in {@code transforms} and {@code predicates}, its {@code type} (and for transforms
 * {@code predicate} and {@code negate}) plus the plugin's own settings under {@code
 * transforms.<alias>.} / {@code predicates.<alias>.}; for each source topic creation group, its
 * {@code topic.creation.<group>.*} settings.
 *
 * <p>Expects class names already resolved by {@link PluginReferences}. Instantiates (and closes)
 * each transformation and predicate to read its {@code config()}. Stateless and thread-safe.
 */
public final class ConfigDefEnricher {

    private static final Logger log = LoggerFactory.getLogger(ConfigDefEnricher.class);

    public static final String TYPE = "type";
    public static final String PREDICATE = "predicate";
    public static final String NEGATE = "negate";
    private static final Set<String> RESERVED = Set.of(TYPE, PREDICATE, NEGATE);

    private ConfigDefEnricher() {}

    /** A copy of {@code base} with the settings {@code config} brings in. */
    public static ConfigDef enrich(ConfigDef base, Map<String, String> config, Plugins plugins) {
        ConfigDef def = new ConfigDef(base);
        for (String alias : PluginReferences.aliases(config, ConnectorConfig.TRANSFORMS_CONFIG)) {
            addPluginSettings(def, config, plugins, ConnectorConfig.TRANSFORMS_CONFIG, alias, Transformation.class);
        }
        for (String alias : PluginReferences.aliases(config, ConnectorConfig.PREDICATES_CONFIG)) {
            addPluginSettings(def, config, plugins, ConnectorConfig.PREDICATES_CONFIG, alias, Predicate.class);
        }
        if (base.configKeys().containsKey(SourceConnectorConfig.TOPIC_CREATION_GROUPS_CONFIG)) {
            for (String group : PluginReferences.aliases(config, SourceConnectorConfig.TOPIC_CREATION_GROUPS_CONFIG)) {
                addTopicCreationGroup(def, group);
            }
        }
        return def;
    }

    private static void addPluginSettings(
            ConfigDef def, Map<String, String> config, Plugins plugins, String list, String alias, Class<?> type) {
        String prefix = list + "." + alias + ".";
        String group = (type == Transformation.class ? "Transforms: " : "Predicates: ") + alias;
        int order = 0;
        def.define(
                prefix + TYPE,
                Type.CLASS,
                ConfigDef.NO_DEFAULT_VALUE,
                implementing(type),
                Importance.HIGH,
                "Class of the '" + alias + "' " + type.getSimpleName().toLowerCase() + ".",
                group,
                ++order,
                Width.LONG,
                type.getSimpleName() + " type for " + alias);
        if (type == Transformation.class) {
            def.define(
                            prefix + PREDICATE,
                            Type.STRING,
                            null,
                            Importance.MEDIUM,
                            "Alias of a predicate: the transformation applies only to records it matches.",
                            group,
                            ++order,
                            Width.LONG,
                            "Predicate for " + alias)
                    .define(
                            prefix + NEGATE,
                            Type.BOOLEAN,
                            false,
                            Importance.MEDIUM,
                            "Apply the transformation to records the predicate does not match instead.",
                            group,
                            ++order,
                            Width.SHORT,
                            "Negate predicate for " + alias);
        }
        ConfigDef pluginDef = pluginConfigDef(config.get(prefix + TYPE), type, plugins);
        if (pluginDef != null) {
            embed(def, prefix, group, order, pluginDef);
        }
    }

    private static ConfigDef pluginConfigDef(String className, Class<?> type, Plugins plugins) {
        if (className == null || className.isBlank()) {
            return null;
        }
        try {
            Object plugin = plugins.newInstance(className, type);
            try (LoaderSwap ignored = LoaderSwap.toLoaderOf(plugin)) {
                ConfigDef def = plugin instanceof Transformation<?> t ? t.config() : ((Predicate<?>) plugin).config();
                close(plugin);
                return def;
            }
        } catch (RuntimeException | LinkageError e) {
            log.debug("No settings read from {}: {}", className, e.toString());
            return null; // parsing the type setting reports the problem, naming the field
        }
    }

    private static void close(Object plugin) {
        if (plugin instanceof Transformation<?> t) {
            t.close();
        } else if (plugin instanceof Predicate<?> p) {
            p.close();
        }
    }

    private static void embed(ConfigDef def, String prefix, String group, int startOrder, ConfigDef child) {
        int order = startOrder;
        for (ConfigKey key : child.configKeys().values()) {
            if (RESERVED.contains(key.name)) {
                continue;
            }
            List<String> dependents =
                    key.dependents.stream().map(d -> prefix + d).toList();
            ConfigDef.Recommender recommender =
                    key.recommender == null ? null : new PrefixedRecommender(prefix, key.recommender);
            def.define(new ConfigKey(
                    prefix + key.name,
                    key.type,
                    key.defaultValue,
                    key.validator,
                    key.importance,
                    key.documentation,
                    group,
                    ++order,
                    key.width,
                    key.displayName,
                    dependents,
                    recommender,
                    key.internalConfig));
        }
    }

    private static void addTopicCreationGroup(ConfigDef def, String group) {
        if (SourceConnectorConfig.DEFAULT_TOPIC_CREATION_GROUP.equals(group)) {
            return;
        }
        String prefix = SourceConnectorConfig.TOPIC_CREATION_PREFIX + group + ".";
        String displayGroup = "Topic Creation: " + group;
        def.define(
                        prefix + "include",
                        Type.LIST,
                        List.of(),
                        Importance.LOW,
                        "Regular expressions of the topics this group applies to.",
                        displayGroup,
                        1,
                        Width.LONG,
                        "Included topics")
                .define(
                        prefix + "exclude",
                        Type.LIST,
                        List.of(),
                        Importance.LOW,
                        "Regular expressions of topics excluded from this group.",
                        displayGroup,
                        2,
                        Width.LONG,
                        "Excluded topics")
                .define(
                        prefix + "replication.factor",
                        Type.SHORT,
                        null,
                        SourceConnectorConfig.partitionsOrReplicas(),
                        Importance.LOW,
                        "Replication factor of this group's topics; unset uses the default group's.",
                        displayGroup,
                        3,
                        Width.SHORT,
                        "Replication factor")
                .define(
                        prefix + "partitions",
                        Type.INT,
                        null,
                        SourceConnectorConfig.partitionsOrReplicas(),
                        Importance.LOW,
                        "Partitions of this group's topics; unset uses the default group's.",
                        displayGroup,
                        4,
                        Width.SHORT,
                        "Partitions");
    }

    private static ConfigDef.Validator implementing(Class<?> type) {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    if (value instanceof Class<?> c && !type.isAssignableFrom(c)) {
                        throw new ConfigException(name, c.getName(), "Not a " + type.getSimpleName());
                    }
                },
                () -> "a " + type.getSimpleName() + " class");
    }
}
