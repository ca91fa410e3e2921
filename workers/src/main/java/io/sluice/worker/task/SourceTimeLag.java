package io.sluice.worker.task;

import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * How far a CDC source task is behind its database, in seconds: now minus the source timestamp
 * ({@code source.ts_ms} of a Debezium change event) of the last event the task handed to the log,
 * and 0 once a poll brings no change event (the task is idle and caught up). Records without a
 * source timestamp (heartbeats, tombstones) change nothing but do not count as change events.
 *
 * <p>Thread-safe: updated by the task's thread, read by metric scrapes and REST calls.
 */
public final class SourceTimeLag {

    private final LongSupplier clock;
    private volatile long lastEventMillis = -1;
    private volatile boolean caughtUp = true;

    public SourceTimeLag() {
        this(System::currentTimeMillis);
    }

    SourceTimeLag(LongSupplier clock) {
        this.clock = clock;
    }

    /** The task handed {@code records} to the log. Task thread only. */
    void handed(List<SourceRecord> records) {
        long last = -1;
        for (SourceRecord record : records) {
            long ts = sourceTimestamp(record);
            if (ts >= 0) {
                last = ts;
            }
        }
        if (last >= 0) {
            lastEventMillis = last;
            caughtUp = false;
        } else {
            caughtUp = true;
        }
    }

    /** A poll brought nothing: the task has handed everything it read. Task thread only. */
    void idle() {
        caughtUp = true;
    }

    /** Seconds behind the database now; 0 when idle and caught up or before the first event. */
    public double seconds() {
        long last = lastEventMillis;
        if (caughtUp || last < 0) {
            return 0;
        }
        return Math.max(0, clock.getAsLong() - last) / 1000.0;
    }

    /** The record's {@code source.ts_ms} (Debezium's envelope), or -1 when it has none. */
    static long sourceTimestamp(SourceRecord record) {
        if (!(record.value() instanceof Struct value)) {
            return -1;
        }
        Field sourceField = value.schema().field("source");
        if (sourceField == null || !(value.get(sourceField) instanceof Struct source)) {
            return -1;
        }
        Field ts = source.schema().field("ts_ms");
        return ts != null && source.get(ts) instanceof Number n ? n.longValue() : -1;
    }
}
