package io.sluice.worker.task;

import io.sluice.log.FetchResult;
import io.sluice.log.OffsetOutOfRangeException;
import io.sluice.log.StoredRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a sink task's partitions through a {@link TopicReader}: per partition a fetch position and a
 * small buffer of fetched records, batches of up to {@code max.poll.records} assembled round-robin
 * over the unpaused partitions, order kept within each partition. A position below the log start
 * (records removed by retention) moves to the log start; a position past the end of what the reader
 * sees (a replica still catching up) is kept and asked again later, never reset. Used by the task
 * thread only.
 */
final class SinkFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(SinkFetcher.class);
    private static final int FETCH_BYTES = 1 << 20;

    interface Converter {
        SinkRecord convert(TopicPartition tp, StoredRecord record) throws InterruptedException;
    }

    private final TopicReader reader;
    private final int maxRecords;
    private final Converter converter;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Set<TopicPartition> fromStart = new HashSet<>();
    private final Set<TopicPartition> waitingPastEnd = new HashSet<>();
    private final Map<TopicPartition, Deque<StoredRecord>> buffers = new HashMap<>();
    private final Map<TopicPartition, Long> consumed = new HashMap<>();
    private final Map<TopicPartition, Long> highWatermarks = new ConcurrentHashMap<>();
    private int rotation;

    SinkFetcher(TopicReader reader, int maxRecords, Converter converter) {
        this.reader = reader;
        this.maxRecords = maxRecords;
        this.converter = converter;
    }

    /** Moves the next read of {@code tp} to {@code offset}; a negative offset means the log start. */
    void seek(TopicPartition tp, long offset) {
        positions.put(tp, Math.max(0, offset));
        if (offset < 0) {
            fromStart.add(tp);
        } else {
            fromStart.remove(tp);
        }
        buffers.remove(tp);
        consumed.remove(tp);
    }

    void forget(TopicPartition tp) {
        positions.remove(tp);
        fromStart.remove(tp);
        waitingPastEnd.remove(tp);
        buffers.remove(tp);
        consumed.remove(tp);
        highWatermarks.remove(tp);
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

    /** The commit point of {@code tp} as the last fetch saw it, if it was fetched. Thread-safe. */
    Optional<Long> highWatermark(TopicPartition tp) {
        return Optional.ofNullable(highWatermarks.get(tp));
    }

    private void fill(TopicPartition tp, Deque<StoredRecord> buffer) {
        long position = positions.computeIfAbsent(tp, k -> 0L);
        FetchResult result;
        try {
            result = reader.fetch(tp.topic(), tp.partition(), position, FETCH_BYTES);
        } catch (io.sluice.log.replication.ReplicationException e) {
            // the partition's leader is being elected or unreachable: read again on the next call
            LOG.warn("Could not read {} at offset {}; trying again: {}", tp, position, e.getMessage());
            return;
        } catch (OffsetOutOfRangeException e) {
            if (position < e.logStartOffset()) {
                if (!fromStart.contains(tp)) {
                    LOG.warn(
                            "Offset {} of {} is no longer stored; resuming from the log start {}",
                            position,
                            tp,
                            e.logStartOffset());
                }
                positions.put(tp, e.logStartOffset());
            }
            // past the end this reader sees (a replica still catching up): asked again next time
            if (position >= e.logEndOffset() && waitingPastEnd.add(tp)) {
                LOG.warn(
                        "Offset {} of {} is past the end {} of the log as this worker reads it; waiting for it",
                        position,
                        tp,
                        e.logEndOffset());
            }
            return;
        }
        fromStart.remove(tp);
        waitingPastEnd.remove(tp);
        highWatermarks.put(tp, result.highWatermark());
        buffer.addAll(result.records());
        positions.put(tp, result.nextOffset());
    }
}
