package io.sluice.worker.task;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sluice.core.errors.ErrorCounters;
import io.sluice.core.metrics.MetricNames;
import io.sluice.core.status.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A task's meters (Micrometer, exported at {@code /actuator/prometheus}), tagged with connector and
 * task. Also keeps plain totals the REST API and UI read for rates. Thread-safe; {@link #close()}
 * removes the meters when the task goes away.
 */
public final class TaskMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter polled;
    private final Counter written;
    private final Counter put;
    private final DistributionSummary batchSize;
    private final Timer commitLatency;
    private final AtomicLong recordsTotal = new AtomicLong();

    public TaskMetrics(MeterRegistry registry, TaskId id, ErrorCounters errors) {
        this.registry = registry;
        Tags tags =
                Tags.of(MetricNames.TAG_CONNECTOR, id.connector(), MetricNames.TAG_TASK, Integer.toString(id.task()));
        polled = add(
                Counter.builder(MetricNames.SOURCE_RECORDS_POLLED).tags(tags).register(registry));
        written = add(
                Counter.builder(MetricNames.SOURCE_RECORDS_WRITTEN).tags(tags).register(registry));
        put = add(Counter.builder(MetricNames.SINK_RECORDS_PUT).tags(tags).register(registry));
        batchSize = add(DistributionSummary.builder(MetricNames.TASK_BATCH_SIZE)
                .tags(tags)
                .register(registry));
        commitLatency =
                add(Timer.builder(MetricNames.OFFSET_COMMIT_LATENCY).tags(tags).register(registry));
        add(FunctionCounter.builder(MetricNames.TASK_ERRORS, errors.failures, a -> a.doubleValue())
                .tags(tags)
                .register(registry));
        add(FunctionCounter.builder(MetricNames.TASK_RETRIES, errors.retries, a -> a.doubleValue())
                .tags(tags)
                .register(registry));
        add(FunctionCounter.builder(MetricNames.TASK_RECORDS_SKIPPED, errors.skippedRecords, a -> a.doubleValue())
                .tags(tags)
                .register(registry));
        add(FunctionCounter.builder(MetricNames.DLQ_RECORDS, errors.deadLetterRecords, a -> a.doubleValue())
                .tags(tags)
                .register(registry));
        add(FunctionCounter.builder(MetricNames.DLQ_FAILURES, errors.deadLetterFailures, a -> a.doubleValue())
                .tags(tags)
                .register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    /** Registers the sink lag gauge (log end offsets minus committed offsets, summed). */
    public void lag(LongSupplier lag) {
        Tags tags = Tags.of(meters.get(0).getId().getTags());
        add(Gauge.builder(MetricNames.SINK_LAG, lag, l -> (double) l.getAsLong())
                .tags(tags)
                .register(registry));
    }

    void polled(int count) {
        polled.increment(count);
        batchSize.record(count);
    }

    void appended(int count, long nanos) {
        written.increment(count);
        recordsTotal.addAndGet(count);
    }

    void put(int count) {
        put.increment(count);
        batchSize.record(count);
        recordsTotal.addAndGet(count);
    }

    void committed(long nanos) {
        commitLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Records written (source) or delivered (sink) since the task started. */
    public long recordsTotal() {
        return recordsTotal.get();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
