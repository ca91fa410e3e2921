package io.sluice.connect.elasticsearch;

import io.sluice.connect.elasticsearch.ElasticsearchSinkConfig.MalformedBehavior;
import io.sluice.connect.elasticsearch.bulk.BulkSender;
import io.sluice.connect.elasticsearch.bulk.SearchClient;
import io.sluice.connect.elasticsearch.document.DocumentAction;
import io.sluice.connect.elasticsearch.document.RecordConverter;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
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
 * of filling memory. Writes are idempotent (ids from keys or from topic+partition+offset), so the
 * replay after a crash rewrites the same documents.
 *
 * <p>Called by one framework thread; {@link #stop()} may come from another.
 */
public class ElasticsearchSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(ElasticsearchSinkTask.class);

    private ElasticsearchSinkConfig config;
    private RecordConverter converter;
    private SearchClient client;
    private BulkSender sender;
    private ErrantRecordReporter reporter;
    private final AcknowledgedOffsets offsets = new AcknowledgedOffsets();
    private boolean paused;

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
