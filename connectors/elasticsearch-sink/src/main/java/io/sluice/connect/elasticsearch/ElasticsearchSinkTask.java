package io.sluice.connect.elasticsearch;

import io.sluice.connect.elasticsearch.ElasticsearchSinkConfig.MalformedBehavior;
import io.sluice.connect.elasticsearch.bulk.BulkSender;
import io.sluice.connect.elasticsearch.bulk.SearchClient;
import io.sluice.connect.elasticsearch.document.DocumentAction;
import io.sluice.connect.elasticsearch.document.RecordConverter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records as documents: {@link #put} converts and queues them and returns without waiting
 * for the cluster; {@link #preCommit} returns only offsets whose documents the cluster has
 * acknowledged. When {@code max.buffered.records} are outstanding the task pauses its partitions
 * and resumes them once half have been acknowledged, so a slow cluster slows consumption instead
 * of filling memory. While the cluster cannot be written to, an idle {@code put} throws {@link
 * RetriableException} naming the cause, so the task shows as retrying. Writes are idempotent (ids from keys or from topic+partition+offset), so the
 * replay after a crash rewrites the same documents.
 *
 * <p>Called by one framework thread; {@link #stop()} may come from another.
 */
public class ElasticsearchSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(ElasticsearchSinkTask.class);
    /** How long the framework waits before the next idle put while the cluster is unreachable. */
    private static final long UNREACHABLE_RETRY_MS = 1000;

    private ElasticsearchSinkConfig config;
    private RecordConverter converter;
    private SearchClient client;
    private BulkSender sender;
    private ErrantRecordReporter reporter;
    private final AcknowledgedOffsets offsets = new AcknowledgedOffsets();
    private boolean paused;
    private PluginMetrics pluginMetrics;
    private final List<MetricName> metricNames = new ArrayList<>();

    @Override
    public String version() {
        return ElasticsearchSinkConnector.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = ElasticsearchSinkConfig.parse(props);
        converter = new RecordConverter(config);
        client = SearchClient.create(config);
        sender = new BulkSender(
                client,
                new BulkSender.Settings(
                        config.batchSize(),
                        config.lingerMs(),
                        config.maxInFlightRequests(),
                        config.maxRetries(),
                        config.retryBackoffMs(),
                        config.retryBackoffMaxMs()),
                "es-sink-" + props.getOrDefault("name", "task"));
        reporter = errantRecordReporter();
        registerMetrics();
        log.info(
                "Elasticsearch sink task started for {} (dead-letter reporting {})",
                config.connectionUrls(),
                reporter == null ? "off" : "on");
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null; // a Connect runtime older than 2.6
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        throwIfFailed();
        if (records.isEmpty()) {
            throwIfUnreachable();
        }
        for (SinkRecord record : records) {
            TopicPartition partition = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            AcknowledgedOffsets.Entry entry = offsets.track(partition, record.originalKafkaOffset());
            DocumentAction action;
            try {
                action = converter.convert(record);
            } catch (DataException e) {
                if (reporter == null) {
                    throw e;
                }
                report(record, e);
                entry.done();
                continue;
            }
            if (action == null) {
                entry.done();
            } else {
                sender.add(action, new RecordOutcome(action, entry));
            }
        }
        applyBackpressure();
    }

    /** Pauses the partitions while too much is outstanding; resumes when half of it is acknowledged. */
    private void applyBackpressure() {
        int buffered = sender.buffered();
        if (!paused && buffered >= config.maxBufferedRecords()) {
            context.pause(context.assignment().toArray(new TopicPartition[0]));
            paused = true;
            log.debug("Paused consumption: {} records waiting for the cluster", buffered);
        } else if (paused && buffered <= config.maxBufferedRecords() / 2) {
            context.resume(context.assignment().toArray(new TopicPartition[0]));
            paused = false;
            log.debug("Resumed consumption: {} records waiting for the cluster", buffered);
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        throwIfFailed();
        return offsets.committable();
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // preCommit reports acknowledged offsets; nothing to force here.
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(offsets::remove);
    }

    @Override
    public void stop() {
        if (pluginMetrics != null) {
            metricNames.forEach(name -> removeMetric(pluginMetrics, name));
            metricNames.clear();
        }
        if (sender == null) {
            return;
        }
        try {
            if (!sender.awaitEmpty(config.flushTimeoutMs())) {
                log.warn("Stopping with {} records not yet acknowledged; they will be re-read", sender.buffered());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sender.close();
            try {
                client.close();
            } catch (IOException e) {
                log.warn("Closing the cluster client failed", e);
            }
            log.info("Elasticsearch sink task stopped");
        }
    }

    /**
     * While bulk requests retry through an outage, an idle {@code put} (the framework's call while
     * the partitions are paused or nothing comes) throws {@link RetriableException} with the cause,
     * so the task's status shows that it is retrying and why. A connection failure is confirmed
     * first (the cluster may be back, and the next attempt is only waiting for its backoff).
     * Records are never refused: they queue behind the outage up to {@code max.buffered.records}.
     */
    private void throwIfUnreachable() {
        BulkSender.Outage outage = sender.outage();
        if (outage == null) {
            return;
        }
        if (!outage.answered() && client.answers()) {
            return;
        }
        if (context != null) {
            context.timeout(UNREACHABLE_RETRY_MS);
        }
        throw new RetriableException(
                "Writing to Elasticsearch at " + config.connectionUrls() + " keeps failing since "
                        + java.time.Instant.ofEpochMilli(outage.sinceMillis()) + " (" + outage.error() + "); "
                        + sender.buffered() + " documents wait to be written",
                outage.error());
    }

    /**
     * Publishes bulk counters through the framework's plugin metrics (Kafka Connect 4.1+, and the
     * hub, which exports them to Prometheus as {@code sluice_plugin_es_bulk_failures_total} etc.).
     */
    private void registerMetrics() {
        PluginMetrics metrics;
        try {
            metrics = context == null ? null : context.pluginMetrics();
        } catch (UnsupportedOperationException | NoSuchMethodError | NoClassDefFoundError e) {
            metrics = null; // an older framework
        }
        if (metrics == null) {
            return;
        }
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        addMetric(metrics, metrics.metricName("es-bulk-requests-total", "Bulk requests sent", tags), sender::requests);
        addMetric(
                metrics,
                metrics.metricName(
                        "es-bulk-failures-total",
                        "Bulk requests that failed (cluster unreachable, refused, or documents refused for now)",
                        tags),
                sender::failedRequests);
        pluginMetrics = metrics;
    }

    /** Adds a metric, replacing one of this task's name a previous instance left behind. */
    private void addMetric(PluginMetrics metrics, MetricName name, LongSupplier value) {
        removeMetric(metrics, name);
        try {
            metrics.addMetric(name, (Measurable) (c, now) -> value.getAsLong());
            metricNames.add(name);
        } catch (RuntimeException e) {
            log.debug("Metric {} not registered: {}", name.name(), e.toString()); // metrics never fail the task
        }
    }

    private static void removeMetric(PluginMetrics metrics, MetricName name) {
        try {
            metrics.removeMetric(name);
        } catch (RuntimeException notThere) {
            // PluginMetrics throws for a name it does not hold
        }
    }

    private void throwIfFailed() {
        Throwable failure = sender.failure();
        if (failure != null) {
            throw new ConnectException("Writing to Elasticsearch failed: " + failure.getMessage(), failure);
        }
    }

    private void report(SinkRecord record, Exception error) {
        try {
            reporter.report(record, error).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while reporting a record to the dead-letter queue", e);
        } catch (ExecutionException e) {
            throw new ConnectException("Reporting a record to the dead-letter queue failed", e.getCause());
        }
    }

    /** What the cluster did with one record's document, applied on a sender thread. */
    private final class RecordOutcome implements BulkSender.Outcome {
        private final DocumentAction action;
        private final AcknowledgedOffsets.Entry entry;

        RecordOutcome(DocumentAction action, AcknowledgedOffsets.Entry entry) {
            this.action = action;
            this.entry = entry;
        }

        @Override
        public void acknowledged() {
            entry.done();
        }

        @Override
        public void rejected(String errorType, String reason) {
            String message = "Document " + action.id() + " refused by index " + action.index() + " (" + errorType
                    + "): " + reason;
            MalformedBehavior behavior = config.malformedDocuments();
            if (behavior == MalformedBehavior.FAIL) {
                throw new DataException(message + "; behavior.on.malformed.documents=fail");
            }
            if (behavior == MalformedBehavior.WARN) {
                log.warn("Skipping {}", message);
            } else {
                log.debug("Skipping {}", message);
            }
            if (reporter != null) {
                report(action.record(), new DataException(message));
            }
            entry.done();
        }
    }
}
