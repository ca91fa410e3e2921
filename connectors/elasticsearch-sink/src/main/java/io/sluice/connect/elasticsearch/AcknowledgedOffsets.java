package io.sluice.connect.elasticsearch;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets can be committed: for each partition, the offset after the longest run of
 * records, from the oldest one outstanding, whose documents the cluster has acknowledged (or that
 * were skipped). Records are tracked in the order the task received them. Thread-safe.
 */
final class AcknowledgedOffsets {

    /** One tracked record; {@link #done()} may be called from any thread. */
    static final class Entry {
        private final long offset;
        private volatile boolean done;

        private Entry(long offset) {
            this.offset = offset;
        }

        void done() {
            done = true;
        }
    }

    private final Map<TopicPartition, ArrayDeque<Entry>> outstanding = new HashMap<>();
    private final Map<TopicPartition, Long> committable = new HashMap<>();

    synchronized Entry track(TopicPartition partition, long offset) {
        Entry entry = new Entry(offset);
        outstanding.computeIfAbsent(partition, p -> new ArrayDeque<>()).add(entry);
        return entry;
    }

    /** Offsets to commit (next offset to read), for partitions that made progress. */
    synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
        outstanding.forEach((partition, entries) -> {
            while (!entries.isEmpty() && entries.peekFirst().done) {
                committable.put(partition, entries.pollFirst().offset + 1);
            }
        });
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        committable.forEach((partition, offset) -> result.put(partition, new OffsetAndMetadata(offset)));
        return result;
    }

    /** Forgets a partition the task no longer owns. */
    synchronized void remove(TopicPartition partition) {
        outstanding.remove(partition);
        committable.remove(partition);
    }
}
