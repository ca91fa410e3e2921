package io.sluice.worker.task;

import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.OffsetOutOfRangeException;
import io.sluice.log.PartitionLog;
import io.sluice.log.StoredRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a sink task's partitions from the log: per partition a fetch position and a small buffer of
 * fetched records, batches of up to {@code max.poll.records} assembled round-robin over the unpaused
 * partitions, order kept within each partition. Used by the task thread only.
 */
final class SinkFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(SinkFetcher.class);
    private static final int FETCH_BYTES = 1 << 20;

    interface Converter {
        SinkRecord convert(TopicPartition tp, StoredRecord record) throws InterruptedException;
    }

    private final Log log;
    private final int maxRecords;
    private final Converter converter;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Map<TopicPartition, Deque<StoredRecord>> buffers = new HashMap<>();
    private final Map<TopicPartition, Long> consumed = new HashMap<>();
    private int rotation;

    SinkFetcher(Log log, int maxRecords, Converter converter) {
        this.log = log;
        this.maxRecords = maxRecords;
        this.converter = converter;
    }

    /** Moves the next read of {@code tp} to {@code offset}; a negative offset means the log start. */
    void seek(TopicPartition tp, long offset) {
        positions.put(tp, offset < 0 ? partition(tp).logStartOffset() : offset);
        buffers.remove(tp);
        consumed.remove(tp);
    }

    void forget(TopicPartition tp) {
        positions.remove(tp);
        buffers.remove(tp);
        consumed.remove(tp);
    }

    List<SinkRecord> next(Set<TopicPartition> assignment, Set<TopicPartition> paused) throws InterruptedException {
        List<SinkRecord> out = new ArrayList<>();
        List<TopicPartition> order = new ArrayList<>(assignment);
        if (order.isEmpty()) {
            return out;
        }
        rotation = (rotation + 1) % order.size();
        for (int i = 0; i < order.size() && out.size() < maxRecords; i++) {
            TopicPartition tp = order.get((rotation + i) % order.size());
            if (paused.contains(tp)) {
                continue;
            }
            Deque<StoredRecord> buffer = buffers.computeIfAbsent(tp, k -> new ArrayDeque<>());
            if (buffer.isEmpty()) {
                fill(tp, buffer);
            }
            while (!buffer.isEmpty() && out.size() < maxRecords) {
                StoredRecord stored = buffer.poll();
                SinkRecord r = converter.convert(tp, stored);
                consumed.put(tp, stored.offset() + 1);
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /**
     * Per partition, the offset after the last record the batches since the previous call took from
     * it, including records the converter dropped (filtered out or dead-lettered); then forgets them.
     */
    Map<TopicPartition, Long> takeConsumed() {
        Map<TopicPartition, Long> out = new HashMap<>(consumed);
        consumed.clear();
        return out;
    }

    private void fill(TopicPartition tp, Deque<StoredRecord> buffer) {
        PartitionLog p = partition(tp);
        long position = positions.computeIfAbsent(tp, k -> p.logStartOffset());
        FetchResult result;
        try {
            result = p.fetch(position, FETCH_BYTES);
        } catch (OffsetOutOfRangeException e) {
            long reset = e.logStartOffset();
            LOG.warn("Offset {} of {} is no longer stored; resuming from the log start {}", position, tp, reset);
            positions.put(tp, reset);
            return;
        }
        buffer.addAll(result.records());
        positions.put(tp, result.nextOffset());
    }

    private PartitionLog partition(TopicPartition tp) {
        return log.partition(tp.topic(), tp.partition());
    }
}
