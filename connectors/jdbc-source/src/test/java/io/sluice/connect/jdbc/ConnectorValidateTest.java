package io.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** {@code validate()} reports every error at once, each on its own field. No database needed. */
class ConnectorValidateTest {

    /** Nothing listens on port 1: a refused connection, at once. */
    private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/nowhere";

    private static Map<String, List<String>> errors(Map<String, String> props) {
        return new JdbcSourceConnector()
                .validate(props).configValues().stream()
                        .filter(v -> !v.errorMessages().isEmpty())
                        .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    private static Map<String, String> props(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    @Test
    void reportsEveryCrossFieldErrorOnItsField() {
        Map<String, List<String>> errors = errors(props(
                "connection.url",
                UNREACHABLE,
                "topic.prefix",
                "t-",
                "mode",
                "timestamp+incrementing",
                "query",
                "SELECT 1",
                "table.whitelist",
                "a",
                "table.exclude.list",
                "b"));
        assertThat(errors)
                .containsOnlyKeys("incrementing.column.name", "timestamp.column.name", "query", "table.blacklist");
        assertThat(errors.get("incrementing.column.name"))
                .containsExactly("is required when mode=timestamp+incrementing");
        assertThat(errors.get("timestamp.column.name")).containsExactly("is required when mode=timestamp+incrementing");
        assertThat(errors.get("query").get(0)).contains("cannot be combined with a table list");
        assertThat(errors.get("table.blacklist").get(0)).contains("cannot be combined with table.whitelist");
    }

    @Test
    void reportsMissingAndMalformedValuesPerField() {
        Map<String, List<String>> errors = errors(props(
                "mode",
                "sometimes",
                "poll.interval.ms",
                "soon",
                "db.timezone",
                "Mars/Olympus",
                "numeric.mapping",
                "closest"));
        assertThat(errors)
                .containsOnlyKeys(
                        "connection.url", "topic.prefix", "mode", "poll.interval.ms", "db.timezone", "numeric.mapping");
        assertThat(errors.get("connection.url").get(0)).contains("Missing required configuration");
    }

    @Test
    void namesAnUnreachableDatabaseAsAConnectionUrlError() {
        Map<String, List<String>> errors = errors(props(
                "connection.url",
                UNREACHABLE,
                "connection.password",
                "s3cret",
                "topic.prefix",
                "t-",
                "mode",
                "incrementing",
                "incrementing.column.name",
                "id"));
        assertThat(errors).containsOnlyKeys("connection.url");
        assertThat(errors.get("connection.url").get(0))
                .startsWith("cannot connect to the database")
                .doesNotContain("s3cret");
    }

    @Test
    void startRejectsAnInvalidConfigNamingEveryBadField() {
        JdbcSourceConnector connector = new JdbcSourceConnector();
        assertThatThrownBy(() -> connector.start(props(
                        "connection.url",
                        UNREACHABLE,
                        "topic.prefix",
                        "t-",
                        "mode",
                        "incrementing",
                        "query",
                        "SELECT 1",
                        "table.whitelist",
                        "a")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("incrementing.column.name: is required when mode=incrementing")
                .hasMessageContaining("query: cannot be combined");
    }

    @Test
    void configDefGroupsAndDocumentsEverySetting() {
        assertThat(JdbcSourceConfig.CONFIG_DEF.names())
                .contains(
                        "connection.url",
                        "connection.user",
                        "connection.password",
                        "mode",
                        "incrementing.column.name",
                        "timestamp.column.name",
                        "table.whitelist",
                        "table.blacklist",
                        "table.include.list",
                        "table.exclude.list",
                        "query",
                        "poll.interval.ms",
                        "batch.max.rows",
                        "topic.prefix",
                        "timestamp.delay.interval.ms",
                        "table.types",
                        "schema.pattern",
                        "validate.non.null",
                        "timestamp.initial",
                        "numeric.mapping",
                        "db.timezone",
                        "table.poll.interval.ms",
                        "unsupported.column.behavior");
        assertThat(JdbcSourceConfig.CONFIG_DEF.configKeys().values()).allSatisfy(key -> {
            assertThat(key.group).as(key.name).isNotBlank();
            assertThat(key.documentation).as(key.name).isNotBlank();
        });
        assertThat(JdbcSourceConfig.CONFIG_DEF.configKeys().get("connection.password").type)
                .isEqualTo(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD);
    }
}
