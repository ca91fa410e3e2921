package io.sluice.worker.testconnectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** Task of {@link SequenceSourceConnector}. */
public class SequenceSourceTask extends SourceTask {

    /** Task starts so far, per connector and task, for {@code fail.attempts}. */
    private static final Map<String, AtomicInteger> STARTS = new ConcurrentHashMap<>();

    private String topic;
    private long count;
    private int batch;
    private int keys;
    private long failAt;
    private long delay;
    private int poisonEvery;
    private String pad = "";
    private Map<String, Object> partition;
    private long next;
    private volatile boolean stopped;

    /** How many times task {@code task} of {@code connector} has been started in this JVM. */
    public static int starts(String connector, int task) {
        AtomicInteger n = STARTS.get(connector + "/" + task);
        return n == null ? 0 : n.get();
    }

    @Override
    public void start(Map<String, String> props) {
        var cfg = SequenceSourceConnector.CONFIG.parse(props);
        topic = (String) cfg.get("topic");
        count = (Long) cfg.get("count");
        batch = (Integer) cfg.get("batch.size");
        keys = (Integer) cfg.get("keys");
        failAt = (Long) cfg.get("fail.at");
        int failAttempts = (Integer) cfg.get("fail.attempts");
        int start = STARTS.computeIfAbsent(props.get("name") + "/" + props.get("task.index"), k -> new AtomicInteger())
                .incrementAndGet();
        int failTask = (Integer) cfg.get("fail.task");
        if ((failAttempts >= 0 && start > failAttempts)
                || (failTask >= 0 && !Integer.toString(failTask).equals(props.get("task.index")))) {
            failAt = -1;
        }
        poisonEvery = (Integer) cfg.get("poison.every");
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
                    value(next),
                    System.currentTimeMillis()));
        }
        return out;
    }

    private String value(long n) {
        if (poisonEvery > 0) {
            return n % poisonEvery == poisonEvery - 1 ? "poison-" + n : Long.toString(n);
        }
        return "t" + partition.get("task") + "-v" + n + pad;
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
