package io.sluice.worker.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.core.metrics.MetricNames;
import io.sluice.core.status.State;
import io.sluice.core.status.TaskId;
import io.sluice.core.status.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The meters operators alert on for the tasks this worker runs: {@code sluice.task.state} (1 for the
 * task's current state, 0 for the others; {@code RETRYING} for a running task retrying a transient
 * failure), {@code sluice.task.failures} by the failure's root exception class, and {@code
 * sluice.task.restarts} by cause ({@code automatic}, {@code requested}). Thread-safe.
 */
final class TaskStateMeters {

    /** The states a task can be in, as the {@code state} tag shows them. */
    static final List<String> STATES =
            List.of("RUNNING", "RETRYING", "PAUSED", "STOPPED", "FAILED", "UNASSIGNED", "RESTARTING");

    private final MeterRegistry registry;
    private final Map<TaskId, List<Meter>> gauges = new ConcurrentHashMap<>();

    TaskStateMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the state gauges of {@code id} once; {@code current} reads its status now (or null). */
    void track(TaskId id, Function<TaskId, TaskStatus> current) {
        gauges.computeIfAbsent(id, k -> {
            List<Meter> meters = new ArrayList<>();
            for (String state : STATES) {
                meters.add(Gauge.builder(MetricNames.TASK_STATE, () -> is(current.apply(id), state))
                        .tags(tags(id).and(MetricNames.TAG_STATE, state))
                        .strongReference(true)
                        .register(registry));
            }
            return meters;
        });
    }

    private static int is(TaskStatus status, String state) {
        if (status == null) {
            return 0;
        }
        String shown = status.state() == State.RUNNING && status.retrying() != null
                ? "RETRYING"
                : status.state().name();
        return shown.equals(state) ? 1 : 0;
    }

    void failed(TaskId id, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        Counter.builder(MetricNames.TASK_FAILURES)
                .tags(tags(id).and(MetricNames.TAG_EXCEPTION, root.getClass().getName()))
                .register(registry)
                .increment();
    }

    void restarted(TaskId id, boolean automatic) {
        Counter.builder(MetricNames.TASK_RESTARTS)
                .tags(tags(id).and(MetricNames.TAG_CAUSE, automatic ? "automatic" : "requested"))
                .register(registry)
                .increment();
    }

    /** Removes the state gauges of a task this worker no longer runs (counters stay: they are totals). */
    void forget(TaskId id) {
        List<Meter> meters = gauges.remove(id);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    private static Tags tags(TaskId id) {
        return Tags.of(MetricNames.TAG_CONNECTOR, id.connector(), MetricNames.TAG_TASK, Integer.toString(id.task()));
    }
}
