package io.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.connect.jdbc.testing.OffsetMemory;
import io.sluice.connect.jdbc.testing.SourceHarness;
import io.sluice.connect.jdbc.testing.Sql;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The same source on MariaDB/MySQL. Uses {@code SLUICE_TEST_MARIADB_URL} (with optional
 * {@code SLUICE_TEST_MARIADB_USER}/{@code _PASSWORD}) and fails loudly if that server is
 * unreachable; without it, tries {@code jdbc:mariadb://127.0.0.1:3306/test} as root and is
 * <em>skipped</em> (not passed) when nothing answers there.
 */
class MariaDbPollingIT {

    private static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test";
    private static String url;
    private static String user;
    private static String password;
    private static DataSource dataSource;
    private static String table;

    @BeforeAll
    static void connect() throws SQLException {
        String configured = System.getenv("SLUICE_TEST_MARIADB_URL");
        url = configured != null ? configured : DEFAULT_URL;
        user = System.getenv().getOrDefault("SLUICE_TEST_MARIADB_USER", "root");
        password = System.getenv().getOrDefault("SLUICE_TEST_MARIADB_PASSWORD", "");
        DriverManager.setLoginTimeout(3);
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            // reachable
        } catch (SQLException e) {
            if (configured != null) {
                throw new IllegalStateException("SLUICE_TEST_MARIADB_URL=" + configured + " is unreachable", e);
            }
            Assumptions.abort(
                    "No MariaDB at " + DEFAULT_URL + " (" + e.getMessage() + "); set SLUICE_TEST_MARIADB_URL");
        }
        MariaDbDataSource mariaDb = new MariaDbDataSource(url);
        mariaDb.setUser(user);
        mariaDb.setPassword(password);
        dataSource = mariaDb;
        table = "sluice_it_" + Long.toHexString(System.nanoTime());
        new Sql(dataSource)
                .run("CREATE TABLE " + table + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL, "
                        + "amount DECIMAL(8,2), flag BOOLEAN, born DATE, seen DATETIME(3), data BLOB, doc JSON)");
    }

    @AfterAll
    static void dropTable() {
        if (dataSource != null) {
            new Sql(dataSource).run("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void incrementingModeReadsMariaDbRowsWithMappedTypesAndResumes() throws Exception {
        Sql sql = new Sql(dataSource);
        sql.run(
                "INSERT INTO " + table + " (name, amount, flag, born, seen, data, doc) VALUES "
                        + "('a', 12.34, true, '2024-02-29', '2024-02-29 13:45:30.123', x'01ff', '{\"k\": 1}'), ('b', NULL, NULL, NULL, NULL, NULL, NULL)");
        Map<String, String> props = new HashMap<>(Map.of(
                "connection.url",
                url,
                "connection.user",
                user,
                "connection.password",
                password,
                "topic.prefix",
                "maria-",
                "mode",
                "incrementing",
                "incrementing.column.name",
                "id",
                "table.whitelist",
                table,
                "poll.interval.ms",
                "100",
                "db.timezone",
                "Europe/Paris"));
        OffsetMemory offsets = new OffsetMemory();
        List<SourceRecord> first;
        try (SourceHarness harness = new SourceHarness(new JdbcSourceConnector(), props, offsets).start(1)) {
            first = harness.pollAtLeast(2, Duration.ofSeconds(20));
        }
        Struct row = (Struct) first.get(0).value();
        assertThat(first.get(0).topic()).isEqualTo("maria-" + table);
        assertThat(row.schema().field("id").schema()).isEqualTo(Schema.INT64_SCHEMA);
        assertThat(row.get("amount")).isEqualTo(new BigDecimal("12.34"));
        assertThat(row.get("flag")).isEqualTo(true);
        assertThat(row.get("seen")).isEqualTo(java.util.Date.from(Instant.parse("2024-02-29T12:45:30.123Z")));
        assertThat((byte[]) row.get("data")).containsExactly(1, 0xff);
        assertThat(row.getString("doc")).contains("\"k\"");
        assertThat(((Struct) first.get(1).value()).get("amount")).isNull();

        sql.run("INSERT INTO " + table + " (name) VALUES ('c')");
        try (SourceHarness harness = new SourceHarness(new JdbcSourceConnector(), props, offsets).start(1)) {
            List<SourceRecord> next = harness.pollAtLeast(1, Duration.ofSeconds(20));
            assertThat(next)
                    .extracting(r -> ((Struct) r.value()).getString("name"))
                    .containsExactly("c");
        }
    }
}
