package io.sluice.core.validation;

import io.sluice.core.config.ConfigDefEnricher;
import io.sluice.core.config.ConnectorConfig;
import io.sluice.core.config.PluginReferences;
import io.sluice.core.config.RestartConfig;
import io.sluice.core.config.SinkConnectorConfig;
import io.sluice.core.config.SourceConnectorConfig;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.health.ConnectorType;

/**
 * Rules that involve more than one setting, which {@link org.apache.kafka.common.config.ConfigDef}
 * cannot express: a sink needs exactly one of {@code topics}/{@code topics.regex}, the dead-letter
 * topic may not be consumed, a transform's predicate must be declared, and so on. Each error is
 * added to the setting it concerns. Stateless and thread-safe.
 */
final class CrossFieldChecks {

    private CrossFieldChecks() {}

    static void check(ConnectorType type, Map<String, String> config, Map<String, ConfigValue> values) {
        if (type == ConnectorType.SINK) {
            checkSinkTopics(config, values);
        }
        if (type == ConnectorType.SOURCE) {
            checkTopicCreation(config, values);
        }
        checkPredicateReferences(config, values);
        checkRestartBackoff(config, values);
    }

    private static void checkSinkTopics(Map<String, String> config, Map<String, ConfigValue> values) {
        List<String> topics = PluginReferences.aliases(config, SinkConnectorConfig.TOPICS_CONFIG);
        String regex = blankToNull(config.get(SinkConnectorConfig.TOPICS_REGEX_CONFIG));
        if (!topics.isEmpty() && regex != null) {
            String message = "Set either topics or topics.regex, not both";
            addError(values, SinkConnectorConfig.TOPICS_CONFIG, message);
            addError(values, SinkConnectorConfig.TOPICS_REGEX_CONFIG, message);
        } else if (topics.isEmpty() && regex == null) {
            String message = "A sink connector needs topics or topics.regex";
            addError(values, SinkConnectorConfig.TOPICS_CONFIG, message);
            addError(values, SinkConnectorConfig.TOPICS_REGEX_CONFIG, message);
        }
        String dlq = blankToNull(config.get(ConnectorConfig.DLQ_TOPIC_NAME_CONFIG));
        if (dlq != null && (topics.contains(dlq) || matches(regex, dlq))) {
            addError(
                    values,
                    ConnectorConfig.DLQ_TOPIC_NAME_CONFIG,
                    "The dead letter queue topic '" + dlq + "' is one of the topics this connector consumes");
        }
    }

    /**
     * Kafka Connect insists on both {@code topic.creation.default.replication.factor} and
     * {@code .partitions}; Sluice accepts either alone (the other defaults to -1, the worker's
     * default), but a group listed in {@code topic.creation.groups} must say which topics it takes.
     */
    private static void checkTopicCreation(Map<String, String> config, Map<String, ConfigValue> values) {
        for (String group : PluginReferences.aliases(config, SourceConnectorConfig.TOPIC_CREATION_GROUPS_CONFIG)) {
            String include = "topic.creation." + group + ".include";
            if (blankToNull(config.get(include)) == null) {
                addError(values, include, "Topic creation group '" + group + "' needs " + include);
            }
        }
    }

    private static void checkPredicateReferences(Map<String, String> config, Map<String, ConfigValue> values) {
        List<String> predicates = PluginReferences.aliases(config, ConnectorConfig.PREDICATES_CONFIG);
        for (String alias : PluginReferences.aliases(config, ConnectorConfig.TRANSFORMS_CONFIG)) {
            String key = ConnectorConfig.TRANSFORMS_CONFIG + "." + alias + "." + ConfigDefEnricher.PREDICATE;
            String predicate = blankToNull(config.get(key));
            if (predicate != null && !predicates.contains(predicate)) {
                addError(values, key, "Predicate '" + predicate + "' is not listed in 'predicates'");
            }
        }
    }

    private static void checkRestartBackoff(Map<String, String> config, Map<String, ConfigValue> values) {
        try {
            long initial = Long.parseLong(config.getOrDefault(
                            RestartConfig.INITIAL_BACKOFF_CONFIG, String.valueOf(RestartConfig.INITIAL_BACKOFF_DEFAULT))
                    .trim());
            long max = Long.parseLong(config.getOrDefault(
                            RestartConfig.MAX_BACKOFF_CONFIG, String.valueOf(RestartConfig.MAX_BACKOFF_DEFAULT))
                    .trim());
            if (max < initial) {
                addError(
                        values,
                        RestartConfig.MAX_BACKOFF_CONFIG,
                        "Must be at least " + RestartConfig.INITIAL_BACKOFF_CONFIG + " (" + initial + ")");
            }
        } catch (NumberFormatException e) {
            // the setting's own parsing has reported it
        }
    }

    private static boolean matches(String regex, String topic) {
        if (regex == null) {
            return false;
        }
        try {
            return Pattern.compile(regex).matcher(topic).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    static void addError(Map<String, ConfigValue> values, String key, String message) {
        values.computeIfAbsent(key, ConfigValue::new).addErrorMessage(message);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
