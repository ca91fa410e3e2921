package io.sluice.worker.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.audit.AuditEvent;
import io.sluice.core.audit.AuditTrail;
import io.sluice.log.FetchResult;
import io.sluice.log.Record;
import io.sluice.log.StoredRecord;
import io.sluice.worker.task.TaskTopics;
import io.sluice.worker.task.TopicWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail in the topic {@code __sluice_audit} (one partition, JSON values, kept 90 days by
 * default): on a single worker in its log, in a cluster replicated like any data topic, so every
 * worker lists every worker's events. Appends are synchronous and durable before the request's
 * answer is sent; a failed append is logged, not thrown. Thread-safe.
 */
final class AuditLog implements AuditTrail {

    static final String TOPIC = "__sluice_audit";
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FETCH_BYTES = 1 << 20;

    private final TaskTopics topics;
    private final String workerId;
    private final long producerId;

    AuditLog(TaskTopics topics, String workerId) {
        this.topics = topics;
        this.workerId = workerId;
        this.producerId = TopicWriter.producerId(TOPIC, workerId.hashCode());
    }

    private void ensure() {
        topics.writer()
                .ensure(TOPIC, () -> Map.of("partitions", "1", "retention.ms", Long.toString(90L * 24 * 3600 * 1000)));
    }

    @Override
    public synchronized void append(AuditEvent event) {
        try {
            ensure();
            byte[] value = JSON.writeValueAsBytes(event.on(workerId));
            topics.writer().append(TOPIC, 0, List.of(Record.of(null, value, event.timestamp())), producerId, 0);
            topics.writer().flush(TOPIC, 0);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Could not append to the audit topic {}: {} {} by {}: {}",
                    TOPIC,
                    event.method(),
                    event.path(),
                    event.user(),
                    e.toString());
        }
    }

    @Override
    public List<AuditEvent> latest(int limit) {
        if (topics.reader().partitions(TOPIC) == 0) {
            return List.of();
        }
        FetchResult first = topics.reader().fetch(TOPIC, 0, 0, 1);
        long end = first.highWatermark();
        long offset = Math.max(first.logStartOffset(), end - limit);
        List<AuditEvent> out = new ArrayList<>();
        while (offset < end) {
            FetchResult r = topics.reader().fetch(TOPIC, 0, offset, FETCH_BYTES);
            if (r.isEmpty()) {
                break;
            }
            for (StoredRecord stored : r.records()) {
                if (stored.offset() >= offset && stored.offset() < end) {
                    out.add(read(stored));
                }
            }
            offset = r.nextOffset();
        }
        Collections.reverse(out);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    private static AuditEvent read(StoredRecord stored) {
        try {
            return JSON.readValue(stored.value(), AuditEvent.class);
        } catch (IOException e) {
            return new AuditEvent(
                    stored.timestamp(),
                    null,
                    null,
                    null,
                    "unreadable audit record at offset " + stored.offset(),
                    0,
                    null);
        }
    }
}
