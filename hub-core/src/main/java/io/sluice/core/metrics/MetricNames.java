package io.sluice.core.metrics;

import java.util.List;

/**
 * Metric names for connectors and tasks. Every task metric is tagged with {@link #TAG_CONNECTOR}
 * and {@link #TAG_TASK}; connector metrics with {@link #TAG_CONNECTOR} only. Constants only.
 */
public final class MetricNames {

    public static final String TAG_CONNECTOR = "connector";
    public static final String TAG_TASK = "task";

    /** Counter: records returned by a source task's {@code poll()}. */
    public static final String SOURCE_RECORDS_POLLED = "sluice.source.records.polled";
    /** Counter: records a source task appended to the log. */
    public static final String SOURCE_RECORDS_WRITTEN = "sluice.source.records.written";
    /** Counter: records passed to a sink task's {@code put()}. */
    public static final String SINK_RECORDS_PUT = "sluice.sink.records.put";
    /** Distribution summary: records per poll or put batch. */
    public static final String TASK_BATCH_SIZE = "sluice.task.batch.size";
    /** Timer: time to commit a task's offsets. */
    public static final String OFFSET_COMMIT_LATENCY = "sluice.task.offset.commit.latency";
    /** Counter: offset commits that failed. */
    public static final String OFFSET_COMMIT_FAILURES = "sluice.task.offset.commit.failures";
    /** Counter: operations that failed for good, tolerated or not; tag {@code stage}. */
    public static final String TASK_ERRORS = "sluice.task.errors";
    /** Counter: retries of retriable failures. */
    public static final String TASK_RETRIES = "sluice.task.retries";
    /** Counter: records skipped under {@code errors.tolerance=all}. */
    public static final String TASK_RECORDS_SKIPPED = "sluice.task.records.skipped";
    /** Counter: records written to the dead-letter queue. */
    public static final String DLQ_RECORDS = "sluice.task.dlq.records";
    /** Counter: records the dead-letter queue failed to take. */
    public static final String DLQ_FAILURES = "sluice.task.dlq.failures";
    /**
     * Gauge: records in the log a sink task has not written yet (log end offset minus committed
     * offset; records buffered in the sink count until committed), summed over its partitions.
     */
    public static final String SINK_LAG = "sluice.sink.lag";
    /** Gauge: age in seconds of the oldest record a sink task has not written yet, over its partitions. */
    public static final String SINK_LAG_SECONDS = "sluice.sink.lag.seconds";
    /**
     * Gauge: seconds a CDC source task is behind its database: now minus the source timestamp
     * ({@code source.ts_ms}) of the last change event it handed to the log; 0 while it is idle and
     * caught up.
     */
    public static final String CDC_LAG_SECONDS = "sluice.cdc.lag.seconds";
    /** Gauge: {@link #SINK_LAG} of one partition; tags {@code topic} and {@code partition}. */
    public static final String SINK_PARTITION_LAG = "sluice.sink.partition.lag.records";
    /** Gauge: {@link #SINK_LAG_SECONDS} of one partition; tags {@code topic} and {@code partition}. */
    public static final String SINK_PARTITION_LAG_SECONDS = "sluice.sink.partition.lag.seconds";
    /**
     * Gauge: 1 for a task's current state, 0 for the others (tag {@code state}: RUNNING, RETRYING,
     * PAUSED, STOPPED, FAILED, UNASSIGNED, RESTARTING), for the tasks this worker runs.
     */
    public static final String TASK_STATE = "sluice.task.state";
    /** Counter: task failures (FAILED), by the root cause's class (tag {@code exception}). */
    public static final String TASK_FAILURES = "sluice.task.failures";
    /**
     * Timer (histogram): end-to-end latency of sink records, from the record's timestamp (for CDC the
     * source's commit time) to the sink's offset commit that covers it; sampled every 100th record.
     */
    public static final String SINK_E2E_LATENCY = "sluice.sink.end.to.end.latency";
    /** Counter: task restarts; tag {@code cause} is {@code automatic} or {@code requested}. */
    public static final String TASK_RESTARTS = "sluice.task.restarts";
    /** Counter: connector restarts. */
    public static final String CONNECTOR_RESTARTS = "sluice.connector.restarts";

    /** Tag of {@link #TASK_ERRORS}: the {@code io.sluice.core.errors.Stage} name. */
    public static final String TAG_STAGE = "stage";
    /** Tag of {@link #TASK_RESTARTS}. */
    public static final String TAG_CAUSE = "cause";
    /** Tags of per-partition metrics. */
    public static final String TAG_TOPIC = "topic";

    public static final String TAG_PARTITION = "partition";
    /** Tag of {@link #TASK_STATE}. */
    public static final String TAG_STATE = "state";
    /** Tag of {@link #TASK_FAILURES}: the root cause's class name. */
    public static final String TAG_EXCEPTION = "exception";

    /** Every metric name above, for registration checks and docs. */
    public static final List<String> ALL = List.of(
            SOURCE_RECORDS_POLLED,
            SOURCE_RECORDS_WRITTEN,
            SINK_RECORDS_PUT,
            TASK_BATCH_SIZE,
            OFFSET_COMMIT_LATENCY,
            OFFSET_COMMIT_FAILURES,
            TASK_ERRORS,
            TASK_RETRIES,
            TASK_RECORDS_SKIPPED,
            DLQ_RECORDS,
            DLQ_FAILURES,
            SINK_LAG,
            SINK_LAG_SECONDS,
            SINK_PARTITION_LAG,
            SINK_PARTITION_LAG_SECONDS,
            CDC_LAG_SECONDS,
            TASK_STATE,
            TASK_FAILURES,
            SINK_E2E_LATENCY,
            TASK_RESTARTS,
            CONNECTOR_RESTARTS);

    private MetricNames() {}
}
