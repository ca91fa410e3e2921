package io.sluice.connect.s3;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Sinks topics into an S3 bucket (AWS or any S3-compatible store) as JSON lines or Parquet, each
 * record exactly once given repeatable rotation settings (see {@link S3SinkTask}). Settings are
 * {@link S3SinkConfig}; every task gets the same settings and the framework spreads partitions.
 */
public class S3SinkConnector extends SinkConnector {

    static final String VERSION = "0.1.0";

    private final boolean preflight;
    private Map<String, String> props;

    public S3SinkConnector() {
        this(true);
    }

    /** For tests without a store: {@code preflight} false leaves out the checks against the bucket. */
    S3SinkConnector(boolean preflight) {
        this.preflight = preflight;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        S3SinkConfigChecks.parse(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return S3SinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            configs.add(new HashMap<>(props));
        }
        return configs;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return S3SinkConfig.CONFIG_DEF;
    }

    /**
     * Field errors from each setting's validator plus the checks between settings, all at once; when
     * those pass, a preflight against the bucket (reachable, exists, writable with these credentials:
     * see {@link S3Preflight}), each failure on the setting to fix. Blocks for a few requests.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        boolean fieldsValid =
                config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (!fieldsValid) {
            return config; // the checks between settings need each setting to parse
        }
        Map<String, ConfigValue> byName = new HashMap<>();
        config.configValues().forEach(v -> byName.put(v.name(), v));
        try {
            S3SinkConfigChecks.check(new S3SinkConfig(connectorConfigs))
                    .forEach((field, messages) ->
                            messages.forEach(m -> byName.get(field).addErrorMessage(m)));
        } catch (ConfigException e) {
            byName.get(S3SinkConfig.BUCKET).addErrorMessage(e.getMessage());
        }
        boolean settingsValid =
                config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (preflight && settingsValid && !hasUnresolvedReferences(connectorConfigs)) {
            S3Preflight.check(new S3SinkConfig(connectorConfigs))
                    .forEach((field, messages) ->
                            messages.forEach(m -> byName.get(field).addErrorMessage(m)));
        }
        return config;
    }

    /** A {@code ${provider:...}} reference left unresolved (validated without providers): the store cannot be tried. */
    private static boolean hasUnresolvedReferences(Map<String, String> props) {
        return props.values().stream().anyMatch(v -> v != null && v.contains("${"));
    }
}
