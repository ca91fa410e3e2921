package io.sluice.worker.hub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.metrics.MetricNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-connector record rates from the task meters: {@link #sample()} (called periodically by one
 * thread) reads each connector's record total and keeps the rate over the last interval. Reads are
 * thread-safe.
 */
final class RateSampler {

    /** A connector's total at one sampling and the rate up to it. */
    private record Sample(long nanos, long total, double perSecond) {}

    private final MeterRegistry registry;
    private final Map<String, Sample> samples = new ConcurrentHashMap<>();

    RateSampler(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Records written to the log (source) or delivered (sink) by the connector's current tasks. */
    long total(String connector) {
        double sum = 0;
        for (String name : new String[] {MetricNames.SOURCE_RECORDS_WRITTEN, MetricNames.SINK_RECORDS_PUT}) {
            for (Counter c : registry.find(name)
                    .tag(MetricNames.TAG_CONNECTOR, connector)
                    .counters()) {
                sum += c.count();
            }
        }
        return (long) sum;
    }

    /** The sink's lag summed over its tasks; 0 for a source or when no task reports it. */
    long lag(String connector) {
        double sum = 0;
        for (Gauge g : registry.find(MetricNames.SINK_LAG)
                .tag(MetricNames.TAG_CONNECTOR, connector)
                .gauges()) {
            double v = g.value();
            if (!Double.isNaN(v)) {
                sum += v;
            }
        }
        return (long) sum;
    }

    /** Per task and partition lag of a sink connector's tasks on this worker, from their gauges. */
    java.util.List<io.sluice.core.hub.PartitionLag> partitionLag(String connector) {
        Map<String, Double> ages = new java.util.HashMap<>();
        for (Gauge g : registry.find(MetricNames.SINK_PARTITION_LAG_SECONDS)
                .tag(MetricNames.TAG_CONNECTOR, connector)
                .gauges()) {
            ages.put(key(g), g.value());
        }
        java.util.List<io.sluice.core.hub.PartitionLag> out = new java.util.ArrayList<>();
        for (Gauge g : registry.find(MetricNames.SINK_PARTITION_LAG)
                .tag(MetricNames.TAG_CONNECTOR, connector)
                .gauges()) {
            out.add(new io.sluice.core.hub.PartitionLag(
                    Integer.parseInt(g.getId().getTag(MetricNames.TAG_TASK)),
                    g.getId().getTag(MetricNames.TAG_TOPIC),
                    Integer.parseInt(g.getId().getTag(MetricNames.TAG_PARTITION)),
                    (long) g.value(),
                    ages.getOrDefault(key(g), 0.0)));
        }
        out.sort(java.util.Comparator.comparingInt(io.sluice.core.hub.PartitionLag::task)
                .thenComparing(io.sluice.core.hub.PartitionLag::topic)
                .thenComparingInt(io.sluice.core.hub.PartitionLag::partition));
        return out;
    }

    private static String key(Gauge g) {
        return g.getId().getTag(MetricNames.TAG_TASK) + "/" + g.getId().getTag(MetricNames.TAG_TOPIC) + "/"
                + g.getId().getTag(MetricNames.TAG_PARTITION);
    }

    double perSecond(String connector) {
        Sample s = samples.get(connector);
        return s == null ? 0.0 : s.perSecond();
    }

    /** Samples every given connector and forgets the others. */
    void sample(Iterable<String> connectors) {
        long now = System.nanoTime();
        Map<String, Sample> next = new java.util.HashMap<>();
        for (String connector : connectors) {
            long total = total(connector);
            Sample previous = samples.get(connector);
            double rate = 0.0;
            if (previous != null && now > previous.nanos()) {
                long delta = Math.max(0, total - previous.total()); // totals restart with the tasks
                rate = delta * 1_000_000_000.0 / (now - previous.nanos());
            }
            next.put(connector, new Sample(now, total, rate));
        }
        samples.keySet().retainAll(next.keySet());
        samples.putAll(next);
    }
}
