package io.sluice.worker.runtime;

import io.sluice.core.plugin.PluginDiscovery;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Worker settings ({@code sluice.*}).
 *
 * @param workerId this worker's id in statuses; empty means {@code <host>:<server.port>}
 * @param pluginPath folders whose sub-folders and jars are connector plugins, each isolated
 * @param pluginDiscovery how plugins are found, Kafka Connect's {@code plugin.discovery}: {@code
 *     only_scan}, {@code hybrid_warn} (default), {@code hybrid_fail} or {@code service_load}
 * @param offsetFlushInterval how often source offsets and sink consumer offsets are committed
 *     (Kafka's {@code offset.flush.interval.ms}); also the most a crash can make a task repeat
 * @param taskShutdownTimeout how long a stopping task may take before it is interrupted
 * @param topicDefaultPartitions partitions of topics a source creates without its own setting
 * @param connect worker-level connector defaults in Kafka Connect's names, e.g.
 *     {@code sluice.connect.key.converter}, {@code sluice.connect.value.converter.schemas.enable},
 *     {@code sluice.connect.config.providers}, {@code sluice.connect.sluice.restart.max.attempts}
 */
@Validated
@ConfigurationProperties("sluice")
public record WorkerProperties(
        @DefaultValue("") String workerId,
        @NotNull @DefaultValue("./plugins") java.util.List<Path> pluginPath,
        @NotNull @DefaultValue("hybrid_warn") PluginDiscovery pluginDiscovery,
        @NotNull @DefaultValue("5s") Duration offsetFlushInterval,
        @NotNull @DefaultValue("5s") Duration taskShutdownTimeout,
        @Min(1) @DefaultValue("1") int topicDefaultPartitions,
        Map<String, String> connect) {

    public static final Map<String, String> CONNECT_DEFAULTS = Map.of(
            "key.converter", "org.apache.kafka.connect.json.JsonConverter",
            "value.converter", "org.apache.kafka.connect.json.JsonConverter",
            "header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter");

    public WorkerProperties {
        connect = connect == null ? Map.of() : Map.copyOf(connect);
    }

    /** Worker-level connector settings: the defaults above overridden by {@code sluice.connect.*}. */
    public Map<String, String> connectorDefaults() {
        Map<String, String> merged = new java.util.HashMap<>(CONNECT_DEFAULTS);
        merged.putAll(connect);
        return Map.copyOf(merged);
    }
}
