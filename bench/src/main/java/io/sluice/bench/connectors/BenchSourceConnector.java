package io.sluice.bench.connectors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Benchmark source: each poll returns {@code batch.size} records of a pre-built {@code value.bytes}
 * value (bytes schema), as fast as the worker takes them.
 */
public class BenchSourceConnector extends SourceConnector {

    static final ConfigDef CONFIG = new ConfigDef()
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic")
            .define("batch.size", ConfigDef.Type.INT, 5000, ConfigDef.Importance.LOW, "Records per poll")
            .define("value.bytes", ConfigDef.Type.INT, 100, ConfigDef.Importance.LOW, "Value size");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return BenchSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> c = new HashMap<>(props);
            c.put("task.index", Integer.toString(i));
            out.add(c);
        }
        return out;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "bench";
    }
}
