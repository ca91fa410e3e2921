package io.sluice.connect.elasticsearch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes topics into Elasticsearch 7.10+/8.x or OpenSearch 2.x indexes, one document per record
 * key (or per record), deletes on tombstones. Settings are {@link ElasticsearchSinkConfig}, with
 * Confluent's names; every task gets the same settings and the framework spreads partitions.
 */
public class ElasticsearchSinkConnector extends SinkConnector {

    static final String VERSION = "0.1.0";

    private Map<String, String> props;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        ElasticsearchSinkConfig.parse(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ElasticsearchSinkTask.class;
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
        return ElasticsearchSinkConfig.CONFIG_DEF;
    }

    /**
     * Each field's validator errors plus the checks between fields, all at once, each on its
     * field. Fields that fail their own validator are left out of the cross-field checks. When
     * every setting is valid, each node of {@code connection.url} must answer and accept the
     * credentials ({@link ClusterPreflight}).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, ConfigValue> byName = new HashMap<>();
        config.configValues().forEach(v -> byName.put(v.name(), v));
        Map<String, String> valid = new HashMap<>(connectorConfigs);
        byName.values().stream().filter(v -> !v.errorMessages().isEmpty()).forEach(v -> valid.remove(v.name()));
        boolean urlInvalid = !valid.containsKey(ElasticsearchSinkConfig.CONNECTION_URL);
        if (urlInvalid) {
            valid.put(ElasticsearchSinkConfig.CONNECTION_URL, "http://placeholder:9200");
        }
        Map<String, List<String>> problems = new ElasticsearchSinkConfig(valid).check();
        problems.forEach((field, messages) -> {
            if (!(urlInvalid && field.equals(ElasticsearchSinkConfig.CONNECTION_URL))) {
                messages.forEach(m -> byName.get(field).addErrorMessage(m));
            }
        });
        boolean allValid =
                byName.values().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (allValid) {
            ClusterPreflight.check(connectorConfigs)
                    .forEach((field, messages) ->
                            messages.forEach(m -> byName.get(field).addErrorMessage(m)));
        }
        return config;
    }
}
