package io.sluice.bench.connectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/** Task of {@link BenchSourceConnector}. */
public class BenchSourceTask extends SourceTask {

    private String topic;
    private int batch;
    private byte[] value;
    private Map<String, ?> partition;
    private long next;

    @Override
    public void start(Map<String, String> props) {
        var cfg = BenchSourceConnector.CONFIG.parse(props);
        topic = (String) cfg.get("topic");
        batch = (Integer) cfg.get("batch.size");
        value = new byte[(Integer) cfg.get("value.bytes")];
        java.util.Arrays.fill(value, (byte) 'x');
        partition = Map.of("task", props.getOrDefault("task.index", "0"));
    }

    @Override
    public List<SourceRecord> poll() {
        List<SourceRecord> out = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++, next++) {
            out.add(new SourceRecord(
                    partition, Map.of("n", next), topic, null, null, null, Schema.BYTES_SCHEMA, value));
        }
        return out;
    }

    @Override
    public void stop() {}

    @Override
    public String version() {
        return "bench";
    }
}
