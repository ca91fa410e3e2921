package io.sluice.worker.task;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a sink task is behind, per partition: records between its committed offset and the end of
 * the log (records not yet written out: fetched and buffered, e.g. in an open S3 object, counts as
 * not written until the sink's offset is committed), and the age of the oldest of them.
 *
 * <p>The age comes from marks the task thread leaves while reading: the offset and timestamp of the
 * first record read after a commit point and of every {@value #MARK_EVERY}-th record after it, so
 * it is exact when the oldest unwritten record is marked and otherwise overstated by at most the time
 * that {@value #MARK_EVERY} records span. Marks below the committed offset are dropped, so memory is
 * one mark per {@value #MARK_EVERY} unwritten records.
 *
 * <p>Threading: {@link #read}, {@link #measure} and {@link #forget} on the task thread only; {@link
 * #current} from any thread (an immutable snapshot).
 */
public final class SinkLag {

    static final int MARK_EVERY = 100;

    /** One partition's lag at {@code measuredAtMs}; {@code oldestUnwrittenAgeMs} is 0 when nothing waits. */
    public record Partition(long endOffset, long committedOffset, long records, long oldestUnwrittenAgeMs) {}

    private final Map<TopicPartition, ArrayDeque<long[]>> marks = new HashMap<>();
    private final Map<TopicPartition, Long> reported = new HashMap<>();
    private volatile Map<TopicPartition, Partition> current = Map.of();

    /** Notes a record read from {@code tp} (task thread). */
    void read(TopicPartition tp, long offset, long timestamp) {
        ArrayDeque<long[]> m = marks.computeIfAbsent(tp, k -> new ArrayDeque<>());
        long[] last = m.peekLast();
        if (last == null || offset - last[0] >= MARK_EVERY || offset < last[0]) {
            if (last != null && offset < last[0]) {
                m.clear(); // read again from an earlier offset (a seek): older marks no longer apply
            }
            m.addLast(new long[] {offset, timestamp});
        }
    }

    /**
     * Measures every partition of {@code assignment} from its end offset and committed offset (task
     * thread), and publishes the result for {@link #current}.
     */
    void measure(Set<TopicPartition> assignment, Ends ends, long nowMs) {
        Map<TopicPartition, Partition> next = new HashMap<>();
        for (TopicPartition tp : assignment) {
            long end = ends.end(tp);
            if (end < 0) {
                continue; // not known yet
            }
            long committed = Math.min(end, ends.committed(tp));
            ArrayDeque<long[]> m = marks.getOrDefault(tp, new ArrayDeque<>());
            // keep the last mark at or below the committed offset: the oldest unwritten record follows it
            long[] oldest = m.pollFirst();
            while (oldest != null && !m.isEmpty() && m.peekFirst()[0] <= committed) {
                oldest = m.pollFirst();
            }
            if (oldest != null) {
                m.addFirst(oldest);
            }
            long records = end - committed;
            long age = records > 0 && oldest != null ? Math.max(0, nowMs - oldest[1]) : 0;
            next.put(tp, new Partition(end, committed, records, age));
        }
        current = Collections.unmodifiableMap(next);
    }

    /**
     * Reports, once each, the marked records the commit of {@code committedOffset} on {@code tp}
     * covers: {@code latencyMs} gets now minus the record's timestamp (task thread).
     */
    void committed(TopicPartition tp, long committedOffset, long nowMs, java.util.function.LongConsumer latencyMs) {
        ArrayDeque<long[]> m = marks.get(tp);
        if (m == null) {
            return;
        }
        long from = reported.getOrDefault(tp, -1L);
        for (long[] mark : m) {
            if (mark[0] >= committedOffset) {
                break;
            }
            if (mark[0] > from && mark[1] > 0) {
                latencyMs.accept(Math.max(0, nowMs - mark[1]));
                from = mark[0];
            }
        }
        reported.put(tp, from);
    }

    /** Forgets a partition no longer assigned (task thread). */
    void forget(TopicPartition tp) {
        marks.remove(tp);
        reported.remove(tp);
    }

    /** The last measurement, by partition. */
    public Map<TopicPartition, Partition> current() {
        return current;
    }

    public long totalRecords() {
        return current.values().stream().mapToLong(Partition::records).sum();
    }

    public long maxAgeMs() {
        return current.values().stream()
                .mapToLong(Partition::oldestUnwrittenAgeMs)
                .max()
                .orElse(0);
    }

    /** Where a partition's end and committed offsets come from. */
    interface Ends {
        /** The end offset of the log partition, or -1 when not known. */
        long end(TopicPartition tp);

        /** The committed offset, or the log start (0) when the sink never committed. */
        long committed(TopicPartition tp);
    }
}
