package io.sluice.core.transform;

import io.sluice.core.config.ConfigDefEnricher;
import io.sluice.core.config.ConnectorConfig;
import io.sluice.core.config.PluginReferences;
import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.plugin.PluginNotFoundException;
import io.sluice.core.plugin.Plugins;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * Builds a connector's {@link TransformationChain} from its config: {@code transforms} lists the
 * aliases in order, {@code transforms.<alias>.type} names the class (full name or alias), {@code
 * transforms.<alias>.predicate} an alias from {@code predicates}, {@code transforms.<alias>.negate}
 * inverts it. Each plugin receives its prefix-stripped settings, as in Kafka Connect. Stateless and
 * thread-safe; each call creates new plugin instances.
 */
public final class TransformationChainBuilder {

    private static final String TRANSFORMS = ConnectorConfig.TRANSFORMS_CONFIG;
    private static final String PREDICATES = ConnectorConfig.PREDICATES_CONFIG;

    private TransformationChainBuilder() {}

    /**
     * @throws ConfigException naming the setting at fault (unknown type, undeclared predicate, bad
     *     negate value, a plugin rejecting its settings); nothing created is left open
     */
    public static <R extends ConnectRecord<R>> TransformationChain<R> build(
            Map<String, String> connectorConfig, Plugins plugins) {
        Map<String, Predicate<R>> predicates = new LinkedHashMap<>();
        List<TransformationStage<R>> stages = new ArrayList<>();
        try {
            for (String alias : PluginReferences.aliases(connectorConfig, PREDICATES)) {
                predicates.put(alias, predicate(connectorConfig, plugins, alias));
            }
            for (String alias : PluginReferences.aliases(connectorConfig, TRANSFORMS)) {
                stages.add(stage(connectorConfig, plugins, alias, predicates));
            }
        } catch (RuntimeException e) {
            new TransformationChain<>(stages, new ArrayList<>(predicates.values())).close();
            throw e;
        }
        return new TransformationChain<>(stages, new ArrayList<>(predicates.values()));
    }

    private static <R extends ConnectRecord<R>> TransformationStage<R> stage(
            Map<String, String> config, Plugins plugins, String alias, Map<String, Predicate<R>> predicates) {
        String prefix = TRANSFORMS + "." + alias + ".";
        String predicateKey = prefix + ConfigDefEnricher.PREDICATE;
        String predicateAlias = config.get(predicateKey);
        Predicate<R> predicate = null;
        if (predicateAlias != null && !predicateAlias.isBlank()) {
            predicate = predicates.get(predicateAlias.trim());
            if (predicate == null) {
                throw new ConfigException(predicateKey, predicateAlias, "Predicate is not listed in 'predicates'");
            }
        }
        String negateKey = prefix + ConfigDefEnricher.NEGATE;
        boolean negate = config.containsKey(negateKey)
                && (Boolean) ConfigDef.parseType(negateKey, config.get(negateKey), ConfigDef.Type.BOOLEAN);
        @SuppressWarnings("unchecked")
        Transformation<R> transformation = instantiate(config, plugins, prefix, Transformation.class);
        return new TransformationStage<>(alias, transformation, predicate, negate);
    }

    @SuppressWarnings("unchecked")
    private static <R extends ConnectRecord<R>> Predicate<R> predicate(
            Map<String, String> config, Plugins plugins, String alias) {
        return instantiate(config, plugins, PREDICATES + "." + alias + ".", Predicate.class);
    }

    private static <T> T instantiate(Map<String, String> config, Plugins plugins, String prefix, Class<T> type) {
        String typeKey = prefix + ConfigDefEnricher.TYPE;
        String className = config.get(typeKey);
        if (className == null || className.isBlank()) {
            throw new ConfigException(typeKey, null, "Missing the " + type.getSimpleName() + " class");
        }
        T plugin;
        try {
            plugin = plugins.newInstance(className, type);
        } catch (PluginNotFoundException e) {
            throw new ConfigException(typeKey, className, e.getMessage());
        }
        try (LoaderSwap ignored = LoaderSwap.toLoaderOf(plugin)) {
            ((Configurable) plugin).configure(withoutPrefix(config, prefix));
            return plugin;
        } catch (RuntimeException e) {
            closeQuietly(plugin);
            if (e instanceof ConfigException) {
                throw new ConfigException(typeKey, className, "Rejected its settings: " + e.getMessage());
            }
            throw e;
        }
    }

    private static void closeQuietly(Object plugin) {
        try (LoaderSwap ignored = LoaderSwap.toLoaderOf(plugin)) {
            ((AutoCloseable) plugin).close();
        } catch (Exception suppressed) {
            // the configure failure is what the caller needs to see
        }
    }

    private static Map<String, String> withoutPrefix(Map<String, String> config, String prefix) {
        Map<String, String> own = new HashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                own.put(key.substring(prefix.length()), value);
            }
        });
        return own;
    }
}
