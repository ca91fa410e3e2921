package io.sluice.core.config;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Settings every connector has, with Kafka Connect's names and defaults: identity, task count,
 * converters, transforms and predicates, reload action and error handling (including the
 * dead-letter queue, which Sluice also offers to source connectors), plus Sluice's {@link
 * RestartConfig automatic restart} settings. {@link #configDef()} returns a new, mutable {@link
 * ConfigDef} on each call; the class itself is stateless and thread-safe.
 */
public final class ConnectorConfig {

    public static final String COMMON_GROUP = "Common";
    public static final String TRANSFORMS_GROUP = "Transforms";
    public static final String PREDICATES_GROUP = "Predicates";
    public static final String ERROR_GROUP = "Error Handling";

    public static final String NAME_CONFIG = "name";
    public static final String CONNECTOR_CLASS_CONFIG = "connector.class";
    public static final String TASKS_MAX_CONFIG = "tasks.max";
    public static final int TASKS_MAX_DEFAULT = 1;
    public static final String KEY_CONVERTER_CLASS_CONFIG = "key.converter";
    public static final String VALUE_CONVERTER_CLASS_CONFIG = "value.converter";
    public static final String HEADER_CONVERTER_CLASS_CONFIG = "header.converter";
    public static final String TRANSFORMS_CONFIG = "transforms";
    public static final String PREDICATES_CONFIG = "predicates";
    public static final String CONFIG_RELOAD_ACTION_CONFIG = "config.action.reload";
    public static final String CONFIG_RELOAD_ACTION_NONE = "none";
    public static final String CONFIG_RELOAD_ACTION_RESTART = "restart";

    public static final String ERRORS_RETRY_TIMEOUT_CONFIG = "errors.retry.timeout";
    public static final long ERRORS_RETRY_TIMEOUT_DEFAULT = 0L;
    public static final String ERRORS_RETRY_MAX_DELAY_CONFIG = "errors.retry.delay.max.ms";
    public static final long ERRORS_RETRY_MAX_DELAY_DEFAULT = 60_000L;
    public static final String ERRORS_TOLERANCE_CONFIG = "errors.tolerance";
    public static final String ERRORS_TOLERANCE_NONE = "none";
    public static final String ERRORS_TOLERANCE_ALL = "all";
    public static final String ERRORS_LOG_ENABLE_CONFIG = "errors.log.enable";
    public static final String ERRORS_LOG_INCLUDE_MESSAGES_CONFIG = "errors.log.include.messages";
    public static final String DLQ_TOPIC_NAME_CONFIG = "errors.deadletterqueue.topic.name";
    public static final String DLQ_TOPIC_REPLICATION_FACTOR_CONFIG = "errors.deadletterqueue.topic.replication.factor";
    public static final short DLQ_TOPIC_REPLICATION_FACTOR_DEFAULT = 3;
    public static final String DLQ_CONTEXT_HEADERS_ENABLE_CONFIG = "errors.deadletterqueue.context.headers.enable";

    private ConnectorConfig() {}

    /** The settings shared by source and sink connectors. */
    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        defineCommon(def);
        defineTransforms(def);
        defineErrorHandling(def);
        RestartConfig.defineOn(def);
        return def;
    }

    private static void defineCommon(ConfigDef def) {
        defineIdentity(def);
        defineConverters(def);
        defineReloadAction(def);
    }

    private static void defineTransforms(ConfigDef def) {
        def.define(
                        TRANSFORMS_CONFIG,
                        Type.LIST,
                        List.of(),
                        ConfigDef.ValidList.anyNonDuplicateValues(true, false),
                        Importance.LOW,
                        "Aliases of the transformations applied to each record, in order.",
                        TRANSFORMS_GROUP,
                        1,
                        Width.LONG,
                        "Transforms")
                .define(
                        PREDICATES_CONFIG,
                        Type.LIST,
                        List.of(),
                        ConfigDef.ValidList.anyNonDuplicateValues(true, false),
                        Importance.LOW,
                        "Aliases of the predicates that transformations may be guarded by.",
                        PREDICATES_GROUP,
                        1,
                        Width.LONG,
                        "Predicates");
    }

    private static void defineErrorHandling(ConfigDef def) {
        defineRetries(def);
        defineToleranceAndLogging(def);
        defineDeadLetterQueue(def);
    }

    private static void defineIdentity(ConfigDef def) {
        def.define(
                NAME_CONFIG,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyStringWithoutControlChars(),
                Importance.HIGH,
                "Unique name of this connector across the cluster.",
                COMMON_GROUP,
                1,
                Width.MEDIUM,
                "Connector name");
        def.define(
                CONNECTOR_CLASS_CONFIG,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                Importance.HIGH,
                "Connector class: the fully qualified name, the simple name, or the simple name "
                        + "without the 'Connector' suffix.",
                COMMON_GROUP,
                2,
                Width.LONG,
                "Connector class");
        def.define(
                TASKS_MAX_CONFIG,
                Type.INT,
                TASKS_MAX_DEFAULT,
                ConfigDef.Range.atLeast(1),
                Importance.HIGH,
                "Most tasks this connector may run at once.",
                COMMON_GROUP,
                3,
                Width.SHORT,
                "Tasks max");
    }

    private static void defineConverters(ConfigDef def) {
        def.define(
                KEY_CONVERTER_CLASS_CONFIG,
                Type.CLASS,
                null,
                Importance.LOW,
                "Converts record keys between Connect data and bytes. Overrides the worker's "
                        + "default; sub-settings go under 'key.converter.'.",
                COMMON_GROUP,
                4,
                Width.SHORT,
                "Key converter class");
        def.define(
                VALUE_CONVERTER_CLASS_CONFIG,
                Type.CLASS,
                null,
                Importance.LOW,
                "Converts record values between Connect data and bytes. Overrides the worker's "
                        + "default; sub-settings go under 'value.converter.'.",
                COMMON_GROUP,
                5,
                Width.SHORT,
                "Value converter class");
        def.define(
                HEADER_CONVERTER_CLASS_CONFIG,
                Type.CLASS,
                null,
                Importance.LOW,
                "Converts header values between Connect data and bytes. Overrides the worker's "
                        + "default; sub-settings go under 'header.converter.'.",
                COMMON_GROUP,
                6,
                Width.SHORT,
                "Header converter class");
    }

    private static void defineReloadAction(ConfigDef def) {
        def.define(
                CONFIG_RELOAD_ACTION_CONFIG,
                Type.STRING,
                CONFIG_RELOAD_ACTION_RESTART,
                ConfigDef.CaseInsensitiveValidString.in(CONFIG_RELOAD_ACTION_NONE, CONFIG_RELOAD_ACTION_RESTART),
                Importance.LOW,
                "What to do when a config provider reports that a referenced value changed: "
                        + "'restart' the connector, or 'none'.",
                COMMON_GROUP,
                7,
                Width.MEDIUM,
                "Reload action");
    }

    private static void defineRetries(ConfigDef def) {
        def.define(
                ERRORS_RETRY_TIMEOUT_CONFIG,
                Type.LONG,
                ERRORS_RETRY_TIMEOUT_DEFAULT,
                Importance.MEDIUM,
                "How long, in milliseconds, a failed operation is retried: 0 never retries, -1 " + "retries forever.",
                ERROR_GROUP,
                1,
                Width.MEDIUM,
                "Retry timeout for errors");
        def.define(
                ERRORS_RETRY_MAX_DELAY_CONFIG,
                Type.LONG,
                ERRORS_RETRY_MAX_DELAY_DEFAULT,
                ConfigDef.Range.atLeast(0),
                Importance.MEDIUM,
                "Longest wait, in milliseconds, between two retries; waits grow exponentially up to it.",
                ERROR_GROUP,
                2,
                Width.MEDIUM,
                "Maximum delay between retries for errors");
    }

    private static void defineToleranceAndLogging(ConfigDef def) {
        def.define(
                ERRORS_TOLERANCE_CONFIG,
                Type.STRING,
                ERRORS_TOLERANCE_NONE,
                ConfigDef.CaseInsensitiveValidString.in(ERRORS_TOLERANCE_NONE, ERRORS_TOLERANCE_ALL),
                Importance.MEDIUM,
                "'none' fails the task on the first record error; 'all' skips bad records and " + "keeps going.",
                ERROR_GROUP,
                3,
                Width.SHORT,
                "Error tolerance");
        def.define(
                ERRORS_LOG_ENABLE_CONFIG,
                Type.BOOLEAN,
                false,
                Importance.MEDIUM,
                "Log each error with the operation and record coordinates that failed.",
                ERROR_GROUP,
                4,
                Width.SHORT,
                "Log errors");
        def.define(
                ERRORS_LOG_INCLUDE_MESSAGES_CONFIG,
                Type.BOOLEAN,
                false,
                Importance.MEDIUM,
                "Also log the failed record's key, value and headers.",
                ERROR_GROUP,
                5,
                Width.SHORT,
                "Log error details");
    }

    private static void defineDeadLetterQueue(ConfigDef def) {
        def.define(
                DLQ_TOPIC_NAME_CONFIG,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Topic that records which failed are written to, with their original bytes. "
                        + "Empty disables the dead-letter queue.",
                ERROR_GROUP,
                6,
                Width.MEDIUM,
                "Dead letter queue topic name");
        def.define(
                DLQ_TOPIC_REPLICATION_FACTOR_CONFIG,
                Type.SHORT,
                DLQ_TOPIC_REPLICATION_FACTOR_DEFAULT,
                ConfigDef.Range.atLeast(-1),
                Importance.MEDIUM,
                "Replication factor of the dead-letter queue topic when it is created; -1 uses " + "the hub's default.",
                ERROR_GROUP,
                7,
                Width.MEDIUM,
                "Dead letter queue topic replication factor");
        def.define(
                DLQ_CONTEXT_HEADERS_ENABLE_CONFIG,
                Type.BOOLEAN,
                false,
                Importance.MEDIUM,
                "Add '__connect.errors.*' headers describing the failure to dead-lettered records.",
                ERROR_GROUP,
                8,
                Width.MEDIUM,
                "Enable error context headers");
    }
}
