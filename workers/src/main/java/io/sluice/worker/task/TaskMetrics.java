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
import org.apache.kafka.common.TopicPartition;

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
    private final java.util.Set<TopicPartition> partitionGauges = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile SinkLag sinkLag;
    private volatile Tags lagTags;
    private volatile Timer endToEnd;
    private volatile SourceTimeLag sourceTimeLag;

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

    /**
     * Registers the sink lag gauges: records not yet written (log end offsets minus committed offsets)
     * and the age of the oldest of them, summed / maximal over the task's partitions, and the same per
     * partition (tagged {@code topic} and {@code partition}) as partitions appear. The gauges hold
     * {@code lag} strongly, so they never turn NaN while the task runs.
     */
    public void lag(SinkLag lag) {
        Tags tags = Tags.of(meters.get(0).getId().getTags());
        add(Gauge.builder(MetricNames.SINK_LAG, lag, l -> (double) l.totalRecords())
                .tags(tags)
                .strongReference(true)
                .register(registry));
        add(Gauge.builder(MetricNames.SINK_LAG_SECONDS, lag, l -> l.maxAgeMs() / 1000.0)
                .tags(tags)
                .strongReference(true)
                .register(registry));
        this.sinkLag = lag;
        this.lagTags = tags;
        this.endToEnd = add(Timer.builder(MetricNames.SINK_E2E_LATENCY)
                .description("record timestamp (source commit time for CDC) to the sink's offset commit covering it")
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(10))
                .maximumExpectedValue(java.time.Duration.ofHours(1))
                .register(registry));
    }

    /**
     * Registers the gauge {@code sluice.cdc.lag.seconds} of a CDC source task, which then reports
     * the records it hands to the log and its idle polls to {@code lag}.
     */
    public void sourceTimeLag(SourceTimeLag lag) {
        Tags tags = Tags.of(meters.get(0).getId().getTags());
        add(Gauge.builder(MetricNames.CDC_LAG_SECONDS, lag, SourceTimeLag::seconds)
                .description("seconds behind the database: now minus the source timestamp of the last change event"
                        + " handed to the log; 0 when idle and caught up")
                .tags(tags)
                .strongReference(true)
                .register(registry));
        this.sourceTimeLag = lag;
    }

    /** A source task handed {@code records} to the log. */
    void handed(List<org.apache.kafka.connect.source.SourceRecord> records) {
        SourceTimeLag lag = sourceTimeLag;
        if (lag != null) {
            lag.handed(records);
        }
    }

    /** A source task's poll brought nothing. */
    void idle() {
        SourceTimeLag lag = sourceTimeLag;
        if (lag != null) {
            lag.idle();
        }
    }

    /** Records one sampled end-to-end latency of a written record. */
    void endToEnd(long millis) {
        Timer t = endToEnd;
        if (t != null) {
            t.record(millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Registers per-partition lag gauges for partitions measured since the last call. */
    void partitionLagGauges() {
        if (sinkLag == null) {
            return;
        }
        for (TopicPartition tp : sinkLag.current().keySet()) {
            if (partitionGauges.add(tp)) {
                Tags tags = lagTags.and(
                        MetricNames.TAG_TOPIC, tp.topic(), MetricNames.TAG_PARTITION, Integer.toString(tp.partition()));
                SinkLag lag = sinkLag;
                add(Gauge.builder(MetricNames.SINK_PARTITION_LAG, lag, l -> (double) records(l, tp))
                        .tags(tags)
                        .strongReference(true)
                        .register(registry));
                add(Gauge.builder(MetricNames.SINK_PARTITION_LAG_SECONDS, lag, l -> age(l, tp) / 1000.0)
                        .tags(tags)
                        .strongReference(true)
                        .register(registry));
            }
        }
    }

    private static long records(SinkLag lag, TopicPartition tp) {
        SinkLag.Partition p = lag.current().get(tp);
        return p == null ? 0 : p.records();
    }

    private static long age(SinkLag lag, TopicPartition tp) {
        SinkLag.Partition p = lag.current().get(tp);
        return p == null ? 0 : p.oldestUnwrittenAgeMs();
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
