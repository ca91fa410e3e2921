package io.sluice.core.config;

import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Settings of sink connectors: the {@link ConnectorConfig common ones} plus the topics to consume,
 * given either as a list ({@code topics}) or a pattern ({@code topics.regex}), never both. Stateless
 * and thread-safe.
 */
public final class SinkConnectorConfig {

    public static final String TOPICS_CONFIG = "topics";
    public static final String TOPICS_REGEX_CONFIG = "topics.regex";

    private SinkConnectorConfig() {}

    /** A new definition of every sink connector setting. */
    public static ConfigDef configDef() {
        return ConnectorConfig.configDef()
                .define(
                        TOPICS_CONFIG,
                        Type.LIST,
                        List.of(),
                        Importance.HIGH,
                        "Topics to consume, comma separated. Set this or topics.regex.",
                        ConnectorConfig.COMMON_GROUP,
                        100,
                        Width.LONG,
                        "Topics")
                .define(
                        TOPICS_REGEX_CONFIG,
                        Type.STRING,
                        "",
                        new RegexValidator(),
                        Importance.HIGH,
                        "Regular expression matching the topics to consume. Set this or topics.",
                        ConnectorConfig.COMMON_GROUP,
                        101,
                        Width.LONG,
                        "Topics regex");
    }

    /** Accepts an empty string or a valid regular expression. */
    static final class RegexValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || value.toString().isEmpty()) {
                return;
            }
            try {
                java.util.regex.Pattern.compile(value.toString());
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new org.apache.kafka.common.config.ConfigException(
                        name, value, "Invalid regular expression: " + e.getDescription());
            }
        }

        @Override
        public String toString() {
            return "a valid regular expression";
        }
    }
}
