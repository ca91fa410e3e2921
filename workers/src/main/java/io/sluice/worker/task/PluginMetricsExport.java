package io.sluice.worker.task;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;

/**
 * Exports the metrics connectors and tasks register through Kafka's {@code PluginMetrics} to
 * Micrometer (so to {@code /actuator/prometheus}): a metric {@code s3-uploads-total} becomes the
 * counter {@code sluice.plugin.s3.uploads} (Prometheus {@code sluice_plugin_s3_uploads_total}), any
 * other name a gauge {@code sluice.plugin.<name>}, with the metric's tags (connector, task, and the
 * plugin's own). {@link #sync()} adds what appeared and removes what went away; call it
 * periodically. Thread-safe.
 */
public final class PluginMetricsExport {

    private final MeterRegistry registry;
    private final Metrics metrics;
    private final Map<MetricName, Meter> exported = new HashMap<>();

    PluginMetricsExport(MeterRegistry registry, Metrics metrics) {
        this.registry = registry;
        this.metrics = metrics;
    }

    public synchronized void sync() {
        Map<MetricName, KafkaMetric> now = new HashMap<>(metrics.metrics());
        exported.entrySet().removeIf(e -> {
            if (!now.containsKey(e.getKey())) {
                registry.remove(e.getValue());
                return true;
            }
            return false;
        });
        now.forEach((name, metric) -> exported.computeIfAbsent(name, n -> register(n, metric)));
    }

    private Meter register(MetricName name, KafkaMetric metric) {
        Tags tags = Tags.empty();
        for (Map.Entry<String, String> t : name.tags().entrySet()) {
            tags = tags.and(t.getKey(), t.getValue());
        }
        String base = name.name().replace('-', '.').replace('_', '.');
        if (base.endsWith(".total")) {
            return FunctionCounter.builder(
                            "sluice.plugin." + base.substring(0, base.length() - ".total".length()),
                            metric,
                            PluginMetricsExport::value)
                    .description(name.description())
                    .tags(tags)
                    .register(registry);
        }
        return Gauge.builder("sluice.plugin." + base, metric, PluginMetricsExport::value)
                .description(name.description())
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    private static double value(KafkaMetric metric) {
        Object v = metric.metricValue();
        return v instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : 0.0;
    }
}
