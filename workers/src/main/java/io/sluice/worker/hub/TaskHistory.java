package io.sluice.worker.hub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.hub.TaskSeries;
import io.sluice.core.metrics.MetricNames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-task throughput and lag over the last minutes, for the UI's small charts: every
 * {@link #sample} (one thread, every {@link #PERIOD_MS}) reads each task's record counter and lag
 * gauge and keeps {@link #POINTS} points per task. Reads are thread-safe.
 */
final class TaskHistory {

    static final long PERIOD_MS = 2_000;
    static final int POINTS = 150; // five minutes

    private record Key(String connector, int task) {}

    private record Last(long nanos, double total) {}

    private final MeterRegistry registry;
    private final Map<Key, Deque<TaskSeries.Point>> series = new ConcurrentHashMap<>();
    private final Map<Key, Last> last = new ConcurrentHashMap<>();

    TaskHistory(MeterRegistry registry) {
        this.registry = registry;
    }

    void sample() {
        long nanos = System.nanoTime();
        long now = System.currentTimeMillis();
        Map<Key, Double> totals = new java.util.HashMap<>();
        for (String name : new String[] {MetricNames.SOURCE_RECORDS_WRITTEN, MetricNames.SINK_RECORDS_PUT}) {
            for (Counter c : registry.find(name).counters()) {
                totals.merge(
                        key(
                                c.getId().getTag(MetricNames.TAG_CONNECTOR),
                                c.getId().getTag(MetricNames.TAG_TASK)),
                        c.count(),
                        Double::sum);
            }
        }
        Map<Key, Long> lags = new java.util.HashMap<>();
        for (Gauge g : registry.find(MetricNames.SINK_LAG).gauges()) {
            double v = g.value();
            lags.put(
                    key(g.getId().getTag(MetricNames.TAG_CONNECTOR), g.getId().getTag(MetricNames.TAG_TASK)),
                    Double.isNaN(v) ? 0L : (long) v);
        }
        totals.remove(null);
        for (Map.Entry<Key, Double> e : totals.entrySet()) {
            Last previous = last.put(e.getKey(), new Last(nanos, e.getValue()));
            double rate = previous == null || nanos <= previous.nanos()
                    ? 0.0
                    : Math.max(0, e.getValue() - previous.total()) * 1e9 / (nanos - previous.nanos());
            Deque<TaskSeries.Point> points = series.computeIfAbsent(e.getKey(), k -> new ArrayDeque<>());
            synchronized (points) {
                points.addLast(new TaskSeries.Point(now, rate, lags.getOrDefault(e.getKey(), 0L)));
                while (points.size() > POINTS) {
                    points.removeFirst();
                }
            }
        }
        series.keySet().retainAll(totals.keySet());
        last.keySet().retainAll(totals.keySet());
    }

    private static Key key(String connector, String task) {
        if (connector == null || task == null) {
            return null;
        }
        try {
            return new Key(connector, Integer.parseInt(task));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    List<TaskSeries> of(String connector) {
        Map<Integer, TaskSeries> out = new TreeMap<>();
        series.forEach((k, points) -> {
            if (k.connector().equals(connector)) {
                synchronized (points) {
                    out.put(k.task(), new TaskSeries(k.task(), new ArrayList<>(points)));
                }
            }
        });
        return new ArrayList<>(out.values());
    }
}
