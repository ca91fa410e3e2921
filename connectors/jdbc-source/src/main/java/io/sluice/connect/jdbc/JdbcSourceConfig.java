package io.sluice.connect.jdbc;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of the JDBC polling source, named as in Confluent's JDBC source connector so existing
 * connector JSON works unchanged. Declared once as a {@link ConfigDef}, which serves validation,
 * documentation and the UI's forms. Cross-field rules live in {@link ConfigValidation}.
 *
 * <p>Immutable and thread-safe once constructed.
 */
public final class JdbcSourceConfig extends AbstractConfig {

    public static final String CONNECTION_URL = "connection.url";
    public static final String CONNECTION_USER = "connection.user";
    public static final String CONNECTION_PASSWORD = "connection.password";
    public static final String CONNECTION_BACKOFF_MS = "connection.backoff.ms";
    public static final String TABLE_WHITELIST = "table.whitelist";
    public static final String TABLE_BLACKLIST = "table.blacklist";
    public static final String TABLE_INCLUDE_LIST = "table.include.list";
    public static final String TABLE_EXCLUDE_LIST = "table.exclude.list";
    public static final String SCHEMA_PATTERN = "schema.pattern";
    public static final String TABLE_TYPES = "table.types";
    public static final String NUMERIC_MAPPING = "numeric.mapping";
    public static final String DB_TIMEZONE = "db.timezone";
    public static final String UNSUPPORTED_COLUMN_BEHAVIOR = "unsupported.column.behavior";
    public static final String MODE = "mode";
    public static final String INCREMENTING_COLUMN_NAME = "incrementing.column.name";
    public static final String TIMESTAMP_COLUMN_NAME = "timestamp.column.name";
    public static final String VALIDATE_NON_NULL = "validate.non.null";
    public static final String TIMESTAMP_INITIAL = "timestamp.initial";
    public static final String TIMESTAMP_DELAY_INTERVAL_MS = "timestamp.delay.interval.ms";
    public static final String QUERY = "query";
    public static final String QUERY_RETRY_ATTEMPTS = "query.retry.attempts";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String BATCH_MAX_ROWS = "batch.max.rows";
    public static final String TABLE_POLL_INTERVAL_MS = "table.poll.interval.ms";
    public static final String TOPIC_PREFIX = "topic.prefix";

    /** Task-only: the tables one task polls, as {@link io.sluice.connect.jdbc.table.TableId} strings. */
    public static final String TASK_TABLES = "tables";

    /** {@code timestamp.initial} value meaning "start from the database's current time". */
    public static final long TIMESTAMP_INITIAL_CURRENT = -1L;

    private static final String GROUP_DATABASE = "Database";
    private static final String GROUP_MODE = "Mode";
    private static final String GROUP_CONNECTOR = "Connector";

    /** How rows are selected on each poll. */
    public enum Mode {
        BULK("bulk"),
        INCREMENTING("incrementing"),
        TIMESTAMP("timestamp"),
        TIMESTAMP_INCREMENTING("timestamp+incrementing");

        private final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public boolean usesIncrementing() {
            return this == INCREMENTING || this == TIMESTAMP_INCREMENTING;
        }

        public boolean usesTimestamp() {
            return this == TIMESTAMP || this == TIMESTAMP_INCREMENTING;
        }

        public static Mode fromConfig(String value) {
            for (Mode mode : values()) {
                if (mode.configName.equalsIgnoreCase(value.trim())) {
                    return mode;
                }
            }
            throw new ConfigException(MODE, value, "must be one of " + names());
        }

        static List<String> names() {
            return List.of(
                    BULK.configName, INCREMENTING.configName, TIMESTAMP.configName, TIMESTAMP_INCREMENTING.configName);
        }
    }

    /** {@code numeric.mapping}: how NUMERIC/DECIMAL columns map, as in Confluent's connector. */
    public enum NumericMapping {
        NONE,
        PRECISION_ONLY,
        BEST_FIT;

        static NumericMapping fromConfig(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** {@code unsupported.column.behavior}: what a column with a type that has no Connect mapping does. */
    public enum UnsupportedColumnBehavior {
        FAIL,
        SKIP;

        static UnsupportedColumnBehavior fromConfig(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    public static final ConfigDef CONFIG_DEF = connectorConfigDef();

    public JdbcSourceConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
    }

    JdbcSourceConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, originals);
    }

    /** The connector's settings plus the task-only {@value #TASK_TABLES} list. */
    public static ConfigDef taskConfigDef() {
        return connectorConfigDef()
                .define(TASK_TABLES, Type.LIST, List.of(), Importance.LOW, "Tables assigned to this task (internal).");
    }

    private static ConfigDef connectorConfigDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(
                CONNECTION_URL,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                new ConfigDef.NonEmptyString(),
                Importance.HIGH,
                "JDBC connection URL, e.g. jdbc:postgresql://host:5432/db or jdbc:mariadb://host:3306/db.",
                GROUP_DATABASE,
                ++order,
                Width.LONG,
                "JDBC URL");
        def.define(
                CONNECTION_USER,
                Type.STRING,
                null,
                Importance.HIGH,
                "JDBC connection user.",
                GROUP_DATABASE,
                ++order,
                Width.MEDIUM,
                "JDBC user");
        def.define(
                CONNECTION_PASSWORD,
                Type.PASSWORD,
                null,
                Importance.HIGH,
                "JDBC connection password.",
                GROUP_DATABASE,
                ++order,
                Width.MEDIUM,
                "JDBC password");
        def.define(
                CONNECTION_BACKOFF_MS,
                Type.LONG,
                1000L,
                ConfigDef.Range.atLeast(10),
                Importance.LOW,
                "First backoff after a failed query or connection; doubles on each further failure, up to 30 s.",
                GROUP_DATABASE,
                ++order,
                Width.SHORT,
                "Retry backoff (ms)");
        def.define(
                TABLE_WHITELIST,
                Type.LIST,
                List.of(),
                Importance.MEDIUM,
                "Tables to copy (simple or schema-qualified names). Empty means every table. Alias: "
                        + TABLE_INCLUDE_LIST + ".",
                GROUP_DATABASE,
                ++order,
                Width.LONG,
                "Tables to include");
        def.define(
                TABLE_INCLUDE_LIST,
                Type.LIST,
                List.of(),
                Importance.LOW,
                "Alias of " + TABLE_WHITELIST + ".",
                GROUP_DATABASE,
                ++order,
                Width.LONG,
                "Tables to include (alias)");
        def.define(
                TABLE_BLACKLIST,
                Type.LIST,
                List.of(),
                Importance.MEDIUM,
                "Tables not to copy (simple or schema-qualified names). Alias: " + TABLE_EXCLUDE_LIST + ".",
                GROUP_DATABASE,
                ++order,
                Width.LONG,
                "Tables to exclude");
        def.define(
                TABLE_EXCLUDE_LIST,
                Type.LIST,
                List.of(),
                Importance.LOW,
                "Alias of " + TABLE_BLACKLIST + ".",
                GROUP_DATABASE,
                ++order,
                Width.LONG,
                "Tables to exclude (alias)");
        def.define(
                SCHEMA_PATTERN,
                Type.STRING,
                null,
                Importance.MEDIUM,
                "Schema pattern (SQL LIKE) to find tables in; empty means all schemas.",
                GROUP_DATABASE,
                ++order,
                Width.SHORT,
                "Schema pattern");
        def.define(
                TABLE_TYPES,
                Type.LIST,
                List.of("TABLE"),
                Importance.LOW,
                "Table types to copy, as DatabaseMetaData reports them (TABLE, VIEW, ...).",
                GROUP_DATABASE,
                ++order,
                Width.SHORT,
                "Table types");
        def.define(
                NUMERIC_MAPPING,
                Type.STRING,
                "none",
                ConfigDef.CaseInsensitiveValidString.in("none", "precision_only", "best_fit"),
                Importance.LOW,
                "NUMERIC/DECIMAL mapping: none (Connect Decimal), precision_only (integers when scale is 0), "
                        + "best_fit (integers when scale is 0, FLOAT64 when scale > 0, both only when precision < 19).",
                GROUP_DATABASE,
                ++order,
                Width.SHORT,
                "Numeric mapping");
        def.define(
                DB_TIMEZONE,
                Type.STRING,
                "UTC",
                new TimeZoneValidator(),
                Importance.MEDIUM,
                "Time zone of TIMESTAMP WITHOUT TIME ZONE (and DATETIME) values; zoned timestamps are instants already.",
                GROUP_DATABASE,
                ++order,
                Width.SHORT,
                "DB time zone");
        def.define(
                UNSUPPORTED_COLUMN_BEHAVIOR,
                Type.STRING,
                "fail",
                ConfigDef.CaseInsensitiveValidString.in("fail", "skip"),
                Importance.LOW,
                "A column whose type has no Connect mapping: fail (error naming table and column) or skip (leave it out).",
                GROUP_DATABASE,
                ++order,
                Width.SHORT,
                "Unsupported columns");

        order = 0;
        def.define(
                MODE,
                Type.STRING,
                "bulk",
                ConfigDef.CaseInsensitiveValidString.in(Mode.names().toArray(String[]::new)),
                Importance.HIGH,
                "bulk: whole table each poll; incrementing: strictly increasing column; timestamp: "
                        + "modification timestamp; timestamp+incrementing: both, ties broken by the incrementing column.",
                GROUP_MODE,
                ++order,
                Width.MEDIUM,
                "Mode");
        def.define(
                INCREMENTING_COLUMN_NAME,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Strictly increasing column (modes incrementing, timestamp+incrementing).",
                GROUP_MODE,
                ++order,
                Width.MEDIUM,
                "Incrementing column");
        def.define(
                TIMESTAMP_COLUMN_NAME,
                Type.LIST,
                List.of(),
                Importance.MEDIUM,
                "Timestamp column(s); with several, the first non-null (COALESCE) is used (modes timestamp, timestamp+incrementing).",
                GROUP_MODE,
                ++order,
                Width.MEDIUM,
                "Timestamp columns");
        def.define(
                VALIDATE_NON_NULL,
                Type.BOOLEAN,
                true,
                Importance.LOW,
                "Check at start that the incrementing and timestamp columns are NOT NULL.",
                GROUP_MODE,
                ++order,
                Width.SHORT,
                "Validate non-null");
        def.define(
                TIMESTAMP_INITIAL,
                Type.LONG,
                null,
                Importance.LOW,
                "Epoch millis to start timestamp modes from when there is no stored offset; -1 means the database's "
                        + "current time; unset means from the beginning.",
                GROUP_MODE,
                ++order,
                Width.MEDIUM,
                "Initial timestamp");
        def.define(
                TIMESTAMP_DELAY_INTERVAL_MS,
                Type.LONG,
                0L,
                ConfigDef.Range.atLeast(0),
                Importance.HIGH,
                "Only rows with a timestamp older than the database's now minus this delay are read, so rows whose "
                        + "transaction commits up to this long after their timestamp are not missed.",
                GROUP_MODE,
                ++order,
                Width.MEDIUM,
                "Timestamp delay (ms)");
        def.define(
                QUERY,
                Type.STRING,
                "",
                Importance.MEDIUM,
                "Custom SELECT to poll instead of tables; the mode's WHERE clause is appended (so the query must not "
                        + "end with one of its own unless it is wrapped in a subquery).",
                GROUP_MODE,
                ++order,
                Width.LONG,
                "Query");
        def.define(
                QUERY_RETRY_ATTEMPTS,
                Type.INT,
                -1,
                ConfigDef.Range.atLeast(-1),
                Importance.LOW,
                "Failures in a row of a query that did not lose its connection before the task fails; -1 retries forever. "
                        + "Lost connections are always retried.",
                GROUP_MODE,
                ++order,
                Width.SHORT,
                "Query retries");

        order = 0;
        def.define(
                TOPIC_PREFIX,
                Type.STRING,
                ConfigDef.NO_DEFAULT_VALUE,
                Importance.HIGH,
                "Topic = prefix + table name; in query mode the topic is the prefix itself.",
                GROUP_CONNECTOR,
                ++order,
                Width.MEDIUM,
                "Topic prefix");
        def.define(
                POLL_INTERVAL_MS,
                Type.INT,
                5000,
                ConfigDef.Range.atLeast(1),
                Importance.HIGH,
                "Pause between two polls of the same table.",
                GROUP_CONNECTOR,
                ++order,
                Width.SHORT,
                "Poll interval (ms)");
        def.define(
                BATCH_MAX_ROWS,
                Type.INT,
                100,
                ConfigDef.Range.atLeast(1),
                Importance.LOW,
                "Most rows returned by one poll() (also the JDBC fetch size).",
                GROUP_CONNECTOR,
                ++order,
                Width.SHORT,
                "Max rows per batch");
        def.define(
                TABLE_POLL_INTERVAL_MS,
                Type.LONG,
                60_000L,
                ConfigDef.Range.atLeast(100),
                Importance.LOW,
                "How often the connector looks for added or dropped tables.",
                GROUP_CONNECTOR,
                ++order,
                Width.SHORT,
                "Table check interval (ms)");
        return def;
    }

    public String connectionUrl() {
        return getString(CONNECTION_URL);
    }

    public String connectionUser() {
        return getString(CONNECTION_USER);
    }

    public String connectionPassword() {
        Password password = getPassword(CONNECTION_PASSWORD);
        return password == null ? null : password.value();
    }

    public Mode mode() {
        return Mode.fromConfig(getString(MODE));
    }

    public String incrementingColumn() {
        return getString(INCREMENTING_COLUMN_NAME).trim();
    }

    public List<String> timestampColumns() {
        return getList(TIMESTAMP_COLUMN_NAME);
    }

    public String query() {
        return getString(QUERY).trim();
    }

    public boolean isQueryMode() {
        return !query().isEmpty();
    }

    /** {@value #TABLE_WHITELIST} and its alias, merged. */
    public List<String> includedTables() {
        return merged(TABLE_WHITELIST, TABLE_INCLUDE_LIST);
    }

    /** {@value #TABLE_BLACKLIST} and its alias, merged. */
    public List<String> excludedTables() {
        return merged(TABLE_BLACKLIST, TABLE_EXCLUDE_LIST);
    }

    public NumericMapping numericMapping() {
        return NumericMapping.fromConfig(getString(NUMERIC_MAPPING));
    }

    public UnsupportedColumnBehavior unsupportedColumnBehavior() {
        return UnsupportedColumnBehavior.fromConfig(getString(UNSUPPORTED_COLUMN_BEHAVIOR));
    }

    public ZoneId dbTimeZone() {
        return ZoneId.of(getString(DB_TIMEZONE));
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    private List<String> merged(String name, String alias) {
        List<String> primary = getList(name);
        List<String> aliased = getList(alias);
        if (aliased.isEmpty()) {
            return primary;
        }
        return java.util.stream.Stream.concat(primary.stream(), aliased.stream())
                .distinct()
                .toList();
    }

    private static final class TimeZoneValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            try {
                ZoneId.of((String) value);
            } catch (RuntimeException e) {
                throw new ConfigException(name, value, "is not a time zone id (e.g. UTC, Europe/Paris)");
            }
        }

        @Override
        public String toString() {
            return "a time zone id";
        }
    }
}
