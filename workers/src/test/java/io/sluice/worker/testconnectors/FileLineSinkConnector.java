package io.sluice.worker.testconnectors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Test sink whose output survives its JVM: each task appends every record's value as one line to
 * {@code file}{@code -<task>} and forces it to disk before {@code put} returns, so whatever the worker
 * may commit as delivered is on disk. A line torn by a crash is cut off when the task starts again.
 */
public class FileLineSinkConnector extends SinkConnector {

    static final ConfigDef CONFIG = new ConfigDef()
            .define("file", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Path prefix of the output files")
            .define(
                    "api.password",
                    ConfigDef.Type.PASSWORD,
                    "",
                    ConfigDef.Importance.LOW,
                    "A secret, for redaction tests");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return FileLineSinkTask.class;
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
        return "1.0-test";
    }
}
