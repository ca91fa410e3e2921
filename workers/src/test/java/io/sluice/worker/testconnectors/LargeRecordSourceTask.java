package io.sluice.worker.testconnectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** Task of {@link LargeRecordSourceConnector}. */
public class LargeRecordSourceTask extends SourceTask {

    private static final Map<String, Object> PARTITION = Map.of("source", "large");

    private String topic;
    private long count;
    private int pollBytes;
    private int maxRecord;
    private long next;

    @Override
    public void start(Map<String, String> props) {
        var cfg = LargeRecordSourceConnector.CONFIG.parse(props);
        topic = (String) cfg.get("topic");
        count = (Long) cfg.get("count");
        pollBytes = (Integer) cfg.get("poll.bytes");
        maxRecord = (Integer) cfg.get("max.record.bytes");
        Map<String, Object> stored = context.offsetStorageReader().offset(PARTITION);
        next = stored == null ? 0 : ((Number) stored.get("n")).longValue() + 1;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (next >= count) {
            Thread.sleep(50);
            return null;
        }
        List<SourceRecord> out = new ArrayList<>();
        long bytes = 0;
        while (next < count && bytes < pollBytes) {
            int len = LargeRecords.size(next, maxRecord);
            out.add(new SourceRecord(
                    PARTITION,
                    Map.of("n", next),
                    topic,
                    null,
                    Schema.STRING_SCHEMA,
                    "k" + next,
                    Schema.STRING_SCHEMA,
                    LargeRecords.value(next, len),
                    System.currentTimeMillis()));
            bytes += len;
            next++;
        }
        return out;
    }

    @Override
    public void stop() {}

    @Override
    public String version() {
        return "1.0-test";
    }
}
