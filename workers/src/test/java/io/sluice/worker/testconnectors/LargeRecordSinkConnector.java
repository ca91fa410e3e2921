package io.sluice.worker.testconnectors;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Test sink for {@link LargeRecordSourceConnector}: checks every value byte for byte and appends one
 * line per record to {@code file} ({@code <n>} when intact, {@code BAD <offset>} when not), forced to
 * disk before {@code put} returns.
 */
public class LargeRecordSinkConnector extends SinkConnector {

    static final ConfigDef CONFIG =
            new ConfigDef().define("file", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Output file");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LargeRecordSinkTask.class;
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
