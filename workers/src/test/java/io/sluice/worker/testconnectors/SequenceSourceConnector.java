package io.sluice.worker.testconnectors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Test source: each task emits {@code key=k<n % keys>}, {@code value=v<n>} for n = 0, 1, 2, ... up to
 * {@code count} (or forever when -1), {@code batch.size} per poll, and resumes after its stored offset.
 * {@code fail.at=N} makes poll() throw when it reaches record N (once per task start), on the first
 * {@code fail.attempts} starts of each task (-1: every start), only in task {@code fail.task} if set. {@code poison.every=N} switches values to
 * the decimal text of n, except every N-th ({@code n % N == N - 1}), which is {@code poison-<n>}.
 */
public class SequenceSourceConnector extends SourceConnector {

    static final ConfigDef CONFIG = new ConfigDef()
            .define("topic", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "Topic to write to")
            .define("count", ConfigDef.Type.LONG, -1L, ConfigDef.Importance.MEDIUM, "Records per task, -1 forever")
            .define(
                    "batch.size",
                    ConfigDef.Type.INT,
                    100,
                    ConfigDef.Range.atLeast(1),
                    ConfigDef.Importance.LOW,
                    "Records per poll")
            .define("keys", ConfigDef.Type.INT, 10, ConfigDef.Importance.LOW, "Distinct keys")
            .define("fail.at", ConfigDef.Type.LONG, -1L, ConfigDef.Importance.LOW, "Fail poll at this record")
            .define(
                    "fail.attempts",
                    ConfigDef.Type.INT,
                    -1,
                    ConfigDef.Importance.LOW,
                    "Task starts that fail at fail.at, -1 for all")
            .define("fail.task", ConfigDef.Type.INT, -1, ConfigDef.Importance.LOW, "Only this task fails, -1 all")
            .define("poison.every", ConfigDef.Type.INT, 0, ConfigDef.Importance.LOW, "Numeric values, every N-th not")
            .define("poll.delay.ms", ConfigDef.Type.LONG, 0L, ConfigDef.Importance.LOW, "Sleep per poll")
            .define("payload.bytes", ConfigDef.Type.INT, 0, ConfigDef.Importance.LOW, "Pad values to this size");

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = props;
        CONFIG.parse(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SequenceSourceTask.class;
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
