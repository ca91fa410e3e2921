package io.sluice.worker.testconnectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.sink.SinkRecord;

/** What {@link CountingSinkTask}s received, per connector name. Thread-safe. */
public final class Received {

    private static final Map<String, Received> BY_CONNECTOR = new ConcurrentHashMap<>();

    private final List<SinkRecord> records = new ArrayList<>();
    final AtomicInteger retriableFailures = new AtomicInteger();
    volatile Map<String, String> taskConfig;

    public static Received of(String connector) {
        return BY_CONNECTOR.computeIfAbsent(connector, k -> new Received());
    }

    public static void clear(String connector) {
        BY_CONNECTOR.remove(connector);
    }

    synchronized void add(SinkRecord r) {
        records.add(r);
    }

    public synchronized List<SinkRecord> records() {
        return new ArrayList<>(records);
    }

    public synchronized int count() {
        return records.size();
    }

    /** The config the last started task received (references resolved), or null. */
    public Map<String, String> taskConfig() {
        return taskConfig;
    }

    public int retriableFailures() {
        return retriableFailures.get();
    }
}
