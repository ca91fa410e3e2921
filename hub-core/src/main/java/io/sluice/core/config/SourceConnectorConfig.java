package io.sluice.core.config;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of source connectors: the {@link ConnectorConfig common ones} plus topic creation,
 * exactly-once support, transaction boundaries and the offsets topic. Per-group topic creation
 * settings ({@code topic.creation.<group>.*}) are added by {@link ConfigDefEnricher}. Stateless and
 * thread-safe.
 */
public final class SourceConnectorConfig {

    public static final String TOPIC_CREATION_GROUP = "Topic Creation";
    public static final String EXACTLY_ONCE_GROUP = "Exactly Once Support";
    public static final String OFFSETS_GROUP = "Offsets";

    public static final String TOPIC_CREATION_PREFIX = "topic.creation.";
    public static final String TOPIC_CREATION_GROUPS_CONFIG = "topic.creation.groups";
    public static final String DEFAULT_TOPIC_CREATION_GROUP = "default";
    public static final String DEFAULT_PARTITIONS_CONFIG = "topic.creation.default.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR_CONFIG = "topic.creation.default.replication.factor";
    public static final String EXACTLY_ONCE_SUPPORT_CONFIG = "exactly.once.support";
    public static final String TRANSACTION_BOUNDARY_CONFIG = "transaction.boundary";
    public static final String TRANSACTION_BOUNDARY_INTERVAL_CONFIG = "transaction.boundary.interval.ms";
    public static final String OFFSETS_TOPIC_CONFIG = "offsets.storage.topic";

    private SourceConnectorConfig() {}

    /** A new definition of every source connector setting. */
    public static ConfigDef configDef() {
        ConfigDef def = ConnectorConfig.configDef();
        defineTopicCreation(def);
        defineExactlyOnce(def);
        defineOffsetsTopic(def);
        return def;
    }

    /** Accepts null, -1 (the hub's default) or a positive number. */
    static ConfigDef.Validator partitionsOrReplicas() {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    if (value == null) {
                        return;
                    }
                    int n = ((Number) value).intValue();
                    if (n != -1 && n < 1) {
                        throw new ConfigException(name, value, "Must be -1 or at least 1");
                    }
                },
                () -> "-1 or at least 1");
    }

    private static ConfigDef.Validator nullOrAtLeastZero() {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    if (value != null && ((Number) value).longValue() < 0) {
                        throw new ConfigException(name, value, "Must be at least 0");
                    }
                },
                () -> "null or at least 0");
    }

    private static void defineTopicCreation(ConfigDef def) {
        def.define(
                TOPIC_CREATION_GROUPS_CONFIG,
                Type.LIST,
                List.of(),
                ConfigDef.ValidList.anyNonDuplicateValues(true, false),
                Importance.LOW,
                "Topic creation groups besides 'default', each with its own " + "'topic.creation.<group>.*' settings.",
                TOPIC_CREATION_GROUP,
                1,
                Width.LONG,
                "Topic creation groups");
        def.define(
                DEFAULT_REPLICATION_FACTOR_CONFIG,
                Type.SHORT,
                null,
                partitionsOrReplicas(),
                Importance.LOW,
                "Replication factor of topics this connector creates; -1 uses the hub's default. "
                        + "Setting it (with the partitions) turns on topic creation.",
                TOPIC_CREATION_GROUP,
                2,
                Width.SHORT,
                "Default replication factor");
        def.define(
                DEFAULT_PARTITIONS_CONFIG,
                Type.INT,
                null,
                partitionsOrReplicas(),
                Importance.LOW,
                "Partitions of topics this connector creates; -1 uses the hub's default.",
                TOPIC_CREATION_GROUP,
                3,
                Width.SHORT,
                "Default partitions");
    }

    private static void defineExactlyOnce(ConfigDef def) {
        def.define(
                EXACTLY_ONCE_SUPPORT_CONFIG,
                Type.STRING,
                "requested",
                ConfigDef.CaseInsensitiveValidString.in("requested", "required"),
                Importance.MEDIUM,
                "'required' refuses the connector unless it declares exactly-once support.",
                EXACTLY_ONCE_GROUP,
                1,
                Width.SHORT,
                "Exactly once support");
        def.define(
                TRANSACTION_BOUNDARY_CONFIG,
                Type.STRING,
                "poll",
                ConfigDef.CaseInsensitiveValidString.in("poll", "interval", "connector"),
                Importance.MEDIUM,
                "Where transactions end: after each 'poll', every 'interval', or where the " + "'connector' says.",
                EXACTLY_ONCE_GROUP,
                2,
                Width.SHORT,
                "Transaction boundary");
        def.define(
                TRANSACTION_BOUNDARY_INTERVAL_CONFIG,
                Type.LONG,
                null,
                nullOrAtLeastZero(),
                Importance.LOW,
                "Transaction length in milliseconds for the 'interval' boundary.",
                EXACTLY_ONCE_GROUP,
                3,
                Width.SHORT,
                "Transaction boundary interval");
    }

    private static void defineOffsetsTopic(ConfigDef def) {
        def.define(
                OFFSETS_TOPIC_CONFIG,
                Type.STRING,
                null,
                new ConfigDef.NonEmptyString(),
                Importance.LOW,
                "Topic for this connector's source offsets instead of the hub's.",
                OFFSETS_GROUP,
                1,
                Width.LONG,
                "Offsets topic");
    }
}
