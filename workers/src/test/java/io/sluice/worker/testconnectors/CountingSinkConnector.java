package io.sluice.worker.testconnectors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Test sink: every delivered record is added to {@link Received} under the connector's name, so
 * tests wait on what arrived. {@code fail.on.value=X} fails put() when a record's value is X;
 * {@code retriable.failures=N} throws a RetriableException on the first N puts.
 */
public class CountingSinkConnector extends SinkConnector {

    static final ConfigDef CONFIG = new ConfigDef()
            .define("fail.on.value", ConfigDef.Type.STRING, "", ConfigDef.Importance.LOW, "Fail put on this value")
            .define("retriable.failures", ConfigDef.Type.INT, 0, ConfigDef.Importance.LOW, "Retriable failures first")
            .define("report.value", ConfigDef.Type.STRING, "", ConfigDef.Importance.LOW, "Report this value as errant")
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
        return CountingSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> out = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            out.add(new HashMap<>(props));
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
