package io.sluice.worker.testconnectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** Task of {@link SequenceSourceConnector}. */
public class SequenceSourceTask extends SourceTask {

    private String topic;
    private long count;
    private int batch;
    private int keys;
    private long failAt;
    private long delay;
    private String pad = "";
    private Map<String, Object> partition;
    private long next;
    private volatile boolean stopped;

    @Override
    public void start(Map<String, String> props) {
        var cfg = SequenceSourceConnector.CONFIG.parse(props);
        topic = (String) cfg.get("topic");
        count = (Long) cfg.get("count");
        batch = (Integer) cfg.get("batch.size");
        keys = (Integer) cfg.get("keys");
        failAt = (Long) cfg.get("fail.at");
        delay = (Long) cfg.get("poll.delay.ms");
        int payload = (Integer) cfg.get("payload.bytes");
        pad = payload > 0 ? "x".repeat(payload) : "";
        partition = Map.of("task", props.getOrDefault("task.index", "0"));
        Map<String, Object> stored = context.offsetStorageReader().offset(partition);
        next = stored == null ? 0 : ((Number) stored.get("seq")).longValue() + 1;
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        if (stopped || (count >= 0 && next >= count)) {
            Thread.sleep(20);
            return null;
        }
        if (delay > 0) {
            Thread.sleep(delay);
        }
        List<SourceRecord> out = new ArrayList<>(batch);
        for (int i = 0; i < batch && (count < 0 || next < count); i++, next++) {
            if (next == failAt) {
                failAt = -1;
                throw new IllegalStateException("planned failure at record " + next);
            }
            out.add(new SourceRecord(
                    partition,
                    Map.of("seq", next),
                    topic,
                    null,
                    Schema.STRING_SCHEMA,
                    "k" + (next % keys),
                    Schema.STRING_SCHEMA,
                    "t" + partition.get("task") + "-v" + next + pad,
                    System.currentTimeMillis()));
        }
        return out;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public String version() {
        return "1.0-test";
    }
}
