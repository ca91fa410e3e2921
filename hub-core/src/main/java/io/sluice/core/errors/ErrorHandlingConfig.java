package io.sluice.core.errors;

import io.sluice.core.config.ConnectorConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * A connector's parsed error handling settings ({@code errors.*}). Immutable and thread-safe.
 *
 * @param retryTimeout how long to retry a retriable failure; zero never retries; null retries
 *     forever ({@code errors.retry.timeout=-1})
 * @param maxRetryDelay the cap of the exponential backoff between retries
 * @param deadLetterTopic the dead-letter topic, or empty for none
 */
public record ErrorHandlingConfig(
        Duration retryTimeout,
        Duration maxRetryDelay,
        ToleranceType tolerance,
        boolean logEnabled,
        boolean logIncludeMessages,
        String deadLetterTopic,
        short deadLetterReplicationFactor,
        boolean deadLetterContextHeaders) {

    /** Defaults: no retries, tolerance none, no logging, no dead-letter queue. */
    public static final ErrorHandlingConfig DEFAULTS = from(Map.of());

    /**
     * Reads the {@code errors.*} settings of a connector config (other keys are ignored).
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the field if a value is invalid
     */
    public static ErrorHandlingConfig from(Map<String, String> connectorConfig) {
        AbstractConfig parsed =
                new AbstractConfig(ConnectorConfig.configDef(), withPlaceholders(connectorConfig), false);
        long timeout = parsed.getLong(ConnectorConfig.ERRORS_RETRY_TIMEOUT_CONFIG);
        return new ErrorHandlingConfig(
                timeout < 0 ? null : Duration.ofMillis(timeout),
                Duration.ofMillis(parsed.getLong(ConnectorConfig.ERRORS_RETRY_MAX_DELAY_CONFIG)),
                ToleranceType.parse(parsed.getString(ConnectorConfig.ERRORS_TOLERANCE_CONFIG)),
                parsed.getBoolean(ConnectorConfig.ERRORS_LOG_ENABLE_CONFIG),
                parsed.getBoolean(ConnectorConfig.ERRORS_LOG_INCLUDE_MESSAGES_CONFIG),
                parsed.getString(ConnectorConfig.DLQ_TOPIC_NAME_CONFIG).trim(),
                parsed.getShort(ConnectorConfig.DLQ_TOPIC_REPLICATION_FACTOR_CONFIG),
                parsed.getBoolean(ConnectorConfig.DLQ_CONTEXT_HEADERS_ENABLE_CONFIG));
    }

    /** Whether failed records go to a dead-letter topic. */
    public boolean deadLetterQueueEnabled() {
        return !deadLetterTopic.isEmpty();
    }

    /**
     * Only the {@code errors.*} settings: the rest of the common definition is not needed here, and
     * parsing it would load classes (converters by their Kafka names) that only the converter wiring
     * knows how to map. It requires name and connector.class, so placeholders stand in for them.
     */
    private static Map<String, String> withPlaceholders(Map<String, String> config) {
        Map<String, String> copy = new java.util.HashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith("errors.")) {
                copy.put(key, value);
            }
        });
        copy.putIfAbsent(ConnectorConfig.NAME_CONFIG, "unnamed");
        copy.putIfAbsent(ConnectorConfig.CONNECTOR_CLASS_CONFIG, "unknown");
        return copy;
    }
}
