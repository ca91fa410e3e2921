package io.sluice.worker.task;

import io.sluice.worker.store.SourceOffsetStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/** Kafka Connect contexts handed to connectors and tasks. */
public final class Contexts {

    private static final Metrics PLUGIN_METRICS = new Metrics();

    private Contexts() {}

    /** An export of every plugin metric of this JVM to {@code registry} (see {@link PluginMetricsExport}). */
    public static PluginMetricsExport exportPluginMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        return new PluginMetricsExport(registry, PLUGIN_METRICS);
    }

    /** Kafka's plugin-metrics view for a connector or task, tagged with its names. */
    public static PluginMetrics pluginMetrics(Map<String, String> tags) {
        return new PluginMetricsImpl(PLUGIN_METRICS, tags);
    }

    /** Reads a connector's stored source offsets. Thread-safe. */
    public static OffsetStorageReader offsetReader(String connector, SourceOffsetStore store) {
        return new OffsetStorageReader() {
            @Override
            public <T> Map<String, Object> offset(Map<String, T> partition) {
                return store.get(connector, partition);
            }

            @Override
            public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                for (Map<String, T> p : partitions) {
                    Map<String, Object> offset = store.get(connector, p);
                    if (offset != null) {
                        out.put(p, offset);
                    }
                }
                return out;
            }
        };
    }

    public static SourceTaskContext sourceTaskContext(
            Map<String, String> config, OffsetStorageReader reader, PluginMetrics metrics) {
        return new SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return config;
            }

            @Override
            public OffsetStorageReader offsetStorageReader() {
                return reader;
            }

            @Override
            public PluginMetrics pluginMetrics() {
                return metrics;
            }
        };
    }
}
