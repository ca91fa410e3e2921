package io.sluice.connect.jdbc;

import io.sluice.connect.jdbc.table.TableId;
import io.sluice.connect.jdbc.table.TableLister;
import io.sluice.connect.jdbc.table.TableMonitor;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies rows of any JDBC database by polling: whole tables ({@code bulk}), new rows
 * ({@code incrementing}), changed rows ({@code timestamp}, {@code timestamp+incrementing}), or a
 * custom {@code query}. Settings are Confluent's JDBC source names ({@link JdbcSourceConfig}).
 *
 * <p>Tables are spread round-robin over at most {@code tasks.max} tasks. While running, a monitor
 * thread lists the tables every {@code table.poll.interval.ms} and asks the host to reconfigure the
 * tasks when one was added or dropped.
 *
 * <p>Lifecycle as {@link SourceConnector} specifies; {@link #taskConfigs} may be called from any
 * thread after {@link #start}.
 */
public final class JdbcSourceConnector extends SourceConnector {

    static final String VERSION = versionOf(JdbcSourceConnector.class);
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSourceConnector.class);

    private Map<String, String> props;
    private JdbcSourceConfig config;
    private TableMonitor monitor;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        this.config = ConfigValidation.parse(props);
        if (config.isQueryMode()) {
            LOG.info("JDBC source started on a custom query");
            return;
        }
        TableLister lister = new TableLister(
                config.getString(JdbcSourceConfig.SCHEMA_PATTERN),
                config.getList(JdbcSourceConfig.TABLE_TYPES),
                config.includedTables(),
                config.excludedTables());
        try {
            monitor = new TableMonitor(
                    this::openConnection,
                    lister,
                    Duration.ofMillis(config.getLong(JdbcSourceConfig.TABLE_POLL_INTERVAL_MS)),
                    tables -> context.requestTaskReconfiguration());
        } catch (SQLException e) {
            throw new ConnectException(
                    "Cannot list the tables of " + config.connectionUrl() + ": " + e.getMessage(), e);
        }
        LOG.info("JDBC source started on {} tables", monitor.tables().size());
    }

    private java.sql.Connection openConnection() throws SQLException {
        Properties properties = new Properties();
        if (config.connectionUser() != null) {
            properties.setProperty("user", config.connectionUser());
        }
        if (config.connectionPassword() != null) {
            properties.setProperty("password", config.connectionPassword());
        }
        return DriverManager.getConnection(config.connectionUrl(), properties);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return JdbcSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        if (config.isQueryMode()) {
            return List.of(props);
        }
        List<TableId> tables = monitor.tables().stream().sorted().toList();
        int groups = Math.min(maxTasks, tables.size());
        List<Map<String, String>> configs = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            int group = g;
            String assigned = java.util.stream.IntStream.range(0, tables.size())
                    .filter(i -> i % groups == group)
                    .mapToObj(i -> tables.get(i).toString())
                    .collect(Collectors.joining(","));
            Map<String, String> taskProps = new HashMap<>(props);
            taskProps.put(JdbcSourceConfig.TASK_TABLES, assigned);
            configs.add(taskProps);
        }
        return configs;
    }

    @Override
    public void stop() {
        if (monitor != null) {
            monitor.close();
            monitor = null;
        }
    }

    @Override
    public ConfigDef config() {
        return JdbcSourceConfig.CONFIG_DEF;
    }

    /** Per-field errors, cross-field rules and a connection attempt, all reported at once. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        return new Config(ConfigValidation.validate(connectorConfigs));
    }

    private static String versionOf(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        return version == null ? "0.1.0-SNAPSHOT" : version;
    }
}
