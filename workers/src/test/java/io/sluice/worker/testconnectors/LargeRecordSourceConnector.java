package io.sluice.worker.testconnectors;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Test source of large records ({@link LargeRecords}): one task emits records 0..{@code count}-1,
 * {@code poll.bytes} of values per poll (a poll of many MiB, as Debezium returns with a backlog), and
 * resumes after its stored offset.
 */
public class LargeRecordSourceConnector extends SourceConnector {

    static final ConfigDef CONFIG = new ConfigDef()
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic to write to")
            .define("count", ConfigDef.Type.LONG, ConfigDef.Importance.HIGH, "Records to emit")
            .define("poll.bytes", ConfigDef.Type.INT, 16 << 20, ConfigDef.Importance.LOW, "Value bytes per poll")
            .define("max.record.bytes", ConfigDef.Type.INT, 4 << 20, ConfigDef.Importance.LOW, "Largest value");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
        CONFIG.parse(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LargeRecordSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "1.0-test";
    }
}
