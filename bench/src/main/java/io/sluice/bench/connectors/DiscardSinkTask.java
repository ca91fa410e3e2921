package io.sluice.bench.connectors;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Task of {@link DiscardSinkConnector}. */
public class DiscardSinkTask extends SinkTask {

    public static final AtomicLong RECORDS = new AtomicLong();
    public static final AtomicLong BYTES = new AtomicLong();

    @Override
    public void start(Map<String, String> props) {}

    @Override
    public void put(Collection<SinkRecord> records) {
        long bytes = 0;
        for (SinkRecord r : records) {
            if (r.value() instanceof byte[] b) {
                bytes += b.length;
            }
        }
        RECORDS.addAndGet(records.size());
        BYTES.addAndGet(bytes);
    }

    @Override
    public void stop() {}

    @Override
    public String version() {
        return "bench";
    }
}
