package io.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.connect.jdbc.testing.OffsetMemory;
import io.sluice.connect.jdbc.testing.SourceHarness;
import io.sluice.connect.jdbc.testing.Sql;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The polling modes against a real PostgreSQL, driven the way a worker drives a source task. */
class JdbcPollingIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestDatabase db;
    private Sql sql;
    private SourceHarness harness;

    @BeforeEach
    void createDatabase() {
        db = PostgresFixture.shared().newDatabase();
        sql = new Sql(db.dataSource());
    }

    @AfterEach
    void dropDatabase() {
        if (harness != null) {
            harness.close();
        }
        db.close();
    }

    private Map<String, String> props(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", db.jdbcUrl());
        props.put("connection.user", db.user());
        props.put("connection.password", db.password() == null ? "" : db.password());
        props.put("topic.prefix", "pg-");
        props.put("poll.interval.ms", "100");
        props.put("connection.backoff.ms", "100");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private SourceHarness start(Map<String, String> props, OffsetMemory offsets) {
        harness = new SourceHarness(new JdbcSourceConnector(), props, offsets).start(1);
        return harness;
    }

    private static List<Long> ids(List<SourceRecord> records) {
        return records.stream()
                .map(r -> ((Number) ((Struct) r.value()).get("id")).longValue())
                .toList();
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return java.util.stream.LongStream.rangeClosed(fromInclusive, toInclusive)
                .boxed()
                .toList();
    }

    @Test
    void bulkModeReturnsTheWholeTableOnEveryPoll() throws Exception {
        sql.run(
                "CREATE TABLE items (id int PRIMARY KEY, name text)",
                "INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 5) g");
        start(props("mode", "bulk", "table.whitelist", "items"), new OffsetMemory());

        List<SourceRecord> first = harness.pollAtLeast(5, WAIT);
        assertThat(ids(first)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(first.get(0).topic()).isEqualTo("pg-items");
        assertThat(first.get(0).sourceOffset()).isNull();

        sql.run("INSERT INTO items VALUES (6, 'n6')");
        List<SourceRecord> second = harness.pollAtLeast(6, WAIT);
        assertThat(ids(second)).startsWith(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void incrementingModeReturnsOnlyNewRowsInBatchesOfBatchMaxRows() throws Exception {
        sql.run(
                "CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO items (name) SELECT 'n' || g FROM generate_series(1, 25) g");
        start(
                props(
                        "mode",
                        "incrementing",
                        "incrementing.column.name",
                        "id",
                        "table.whitelist",
                        "items",
                        "batch.max.rows",
                        "10"),
                new OffsetMemory());

        List<SourceRecord> batch = harness.pollUntil(r -> !r.isEmpty(), WAIT);
        assertThat(batch).hasSize(10);
        List<SourceRecord> rest = harness.pollAtLeast(15, WAIT);
        assertThat(ids(rest)).isEqualTo(range(11, 25));
        assertThat(rest.get(14).sourcePartition()).isEqualTo(Map.of("table", "public.items"));
        assertThat(rest.get(14).sourceOffset()).isEqualTo(Map.of("incrementing", 25L));

        sql.run("INSERT INTO items (name) VALUES ('late1'), ('late2')");
        assertThat(ids(harness.pollAtLeast(2, WAIT))).containsExactly(26L, 27L);
        assertThat(harness.pollFor(Duration.ofMillis(400))).isEmpty();
    }

    @Test
    void restartResumesFromStoredOffsetsWithoutLossOrDuplicates() throws Exception {
        sql.run(
                "CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL, updated timestamptz NOT NULL DEFAULT now())",
                "INSERT INTO items (name) SELECT 'n' || g FROM generate_series(1, 30) g");
        OffsetMemory offsets = new OffsetMemory();
        Map<String, String> props = props(
                "mode",
                "timestamp+incrementing",
                "incrementing.column.name",
                "id",
                "timestamp.column.name",
                "updated",
                "table.whitelist",
                "items",
                "batch.max.rows",
                "7");
        start(props, offsets);
        // Stop in the middle of one execution's result (7 of 30 rows), as a crash or rebalance would.
        List<SourceRecord> before = harness.pollUntil(r -> !r.isEmpty(), WAIT);
        assertThat(before).hasSize(7);
        harness.close();

        sql.run("INSERT INTO items (name) SELECT 'm' || g FROM generate_series(1, 5) g");
        start(props, offsets);
        List<SourceRecord> after = harness.pollAtLeast(28, WAIT);
        after = new java.util.ArrayList<>(after);
        after.addAll(harness.pollFor(Duration.ofMillis(400)));
        List<Long> all = new java.util.ArrayList<>(ids(before));
        all.addAll(ids(after));
        assertThat(all).isEqualTo(range(1, 35));
    }

    @Test
    void timestampModeWithDelayStillDeliversARowCommittedLateWithAnOlderTimestamp() throws Exception {
        sql.run("CREATE TABLE events (id int PRIMARY KEY, ts timestamp NOT NULL)");
        start(
                props(
                        "mode",
                        "timestamp",
                        "timestamp.column.name",
                        "ts",
                        "table.whitelist",
                        "events",
                        "timestamp.delay.interval.ms",
                        "1500"),
                new OffsetMemory());
        try (Connection late = db.openConnection()) {
            late.setAutoCommit(false);
            try (Statement s = late.createStatement()) {
                // Stamped first, committed last: a long transaction.
                s.execute("INSERT INTO events VALUES (1, localtimestamp - interval '200 milliseconds')");
            }
            sql.run("INSERT INTO events VALUES (2, localtimestamp)");
            // Row 2 is younger than the delay: not read yet, so the offset cannot pass row 1.
            assertThat(harness.pollFor(Duration.ofMillis(500))).isEmpty();
            late.commit();
        }
        List<SourceRecord> records = harness.pollAtLeast(2, WAIT);
        assertThat(ids(records)).containsExactly(1L, 2L);
    }

    @Test
    void timestampModeWithoutDelayMissesARowCommittedLateWithAnOlderTimestamp() throws Exception {
        sql.run("CREATE TABLE events (id int PRIMARY KEY, ts timestamp NOT NULL)");
        start(
                props("mode", "timestamp", "timestamp.column.name", "ts", "table.whitelist", "events"),
                new OffsetMemory());
        try (Connection late = db.openConnection()) {
            late.setAutoCommit(false);
            try (Statement s = late.createStatement()) {
                s.execute("INSERT INTO events VALUES (1, localtimestamp - interval '200 milliseconds')");
            }
            sql.run("INSERT INTO events VALUES (2, localtimestamp)");
            assertThat(ids(harness.pollAtLeast(1, WAIT))).containsExactly(2L);
            late.commit();
        }
        sql.run("INSERT INTO events VALUES (3, localtimestamp + interval '1 millisecond')");
        List<SourceRecord> later = harness.pollAtLeast(1, WAIT);
        later = new java.util.ArrayList<>(later);
        later.addAll(harness.pollFor(Duration.ofMillis(400)));
        // This is what timestamp.delay.interval.ms is for: row 1 is lost for good.
        assertThat(ids(later)).containsExactly(3L);
    }

    @Test
    void timestampModeReturnsUpdatedRowsAgain() throws Exception {
        sql.run(
                "CREATE TABLE items (id int PRIMARY KEY, name text, updated timestamptz NOT NULL)",
                "INSERT INTO items VALUES (1, 'a', now()), (2, 'b', now())");
        start(
                props("mode", "timestamp", "timestamp.column.name", "updated", "table.whitelist", "items"),
                new OffsetMemory());
        assertThat(ids(harness.pollAtLeast(2, WAIT))).containsExactlyInAnyOrder(1L, 2L);
        sql.run("UPDATE items SET name = 'a2', updated = clock_timestamp() WHERE id = 1");
        List<SourceRecord> updated = harness.pollAtLeast(1, WAIT);
        assertThat(((Struct) updated.get(0).value()).getString("name")).isEqualTo("a2");
        assertThat(updated.get(0).sourceOffset()).containsKeys("timestamp", "timestamp_nanos");
    }

    @Test
    void timestampIncrementingModeBreaksTiesOnEqualTimestampsAcrossBatches() throws Exception {
        sql.run(
                "CREATE TABLE items (id int PRIMARY KEY, updated timestamp NOT NULL)",
                "INSERT INTO items SELECT g, timestamp '2024-01-01 10:00:00' FROM generate_series(1, 9) g");
        OffsetMemory offsets = new OffsetMemory();
        Map<String, String> props = props(
                "mode",
                "timestamp+incrementing",
                "incrementing.column.name",
                "id",
                "timestamp.column.name",
                "updated",
                "table.whitelist",
                "items",
                "batch.max.rows",
                "4");
        start(props, offsets);
        List<SourceRecord> first = harness.pollUntil(r -> !r.isEmpty(), WAIT);
        assertThat(ids(first)).containsExactly(1L, 2L, 3L, 4L);
        harness.close(); // the offset is (10:00:00, 4): ties on the timestamp, resolved by the id
        start(props, offsets);
        List<SourceRecord> rest = harness.pollAtLeast(5, WAIT);
        assertThat(ids(rest)).containsExactly(5L, 6L, 7L, 8L, 9L);
        sql.run("INSERT INTO items VALUES (10, timestamp '2024-01-01 10:00:00')"); // same ts, higher id
        assertThat(ids(harness.pollAtLeast(1, WAIT))).containsExactly(10L);
    }

    @Test
    void customQueryIsPolledInIncrementingModeOnTheQueryPartition() throws Exception {
        sql.run(
                "CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) NOT NULL)",
                "INSERT INTO orders VALUES (1, 'ann', 10.50), (2, 'bob', 3.00), (3, 'ann', 7.25)");
        start(
                props(
                        "mode",
                        "incrementing",
                        "incrementing.column.name",
                        "id",
                        "topic.prefix",
                        "ann-orders",
                        "query",
                        "SELECT id, amount FROM orders WHERE customer = 'ann'"),
                new OffsetMemory());
        List<SourceRecord> records = harness.pollAtLeast(2, WAIT);
        assertThat(ids(records)).containsExactly(1L, 3L);
        assertThat(records.get(0).topic()).isEqualTo("ann-orders");
        assertThat(records.get(0).sourcePartition()).isEqualTo(Map.of("query", "query"));
        assertThat(records.get(1).valueSchema().fields())
                .extracting(f -> f.name())
                .containsExactly("id", "amount");
        sql.run("INSERT INTO orders VALUES (4, 'bob', 1), (5, 'ann', 2)");
        assertThat(ids(harness.pollAtLeast(1, WAIT))).containsExactly(5L);
    }

    @Test
    void taskCarriesOnFromItsOffsetAfterTheDatabaseDropsItsConnections() throws Exception {
        sql.run(
                "CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO items (name) SELECT 'n' || g FROM generate_series(1, 20) g");
        start(
                props(
                        "mode",
                        "incrementing",
                        "incrementing.column.name",
                        "id",
                        "table.whitelist",
                        "items",
                        "batch.max.rows",
                        "5"),
                new OffsetMemory());
        List<SourceRecord> all = new java.util.ArrayList<>(harness.pollUntil(r -> !r.isEmpty(), WAIT));
        // Mid-stream: the task holds an open cursor. The server ends every session of this database.
        terminateBackends();
        sql.run("INSERT INTO items (name) SELECT 'm' || g FROM generate_series(1, 10) g");
        all.addAll(harness.pollAtLeast(25, WAIT));
        terminateBackends();
        sql.run("INSERT INTO items (name) VALUES ('last')");
        all.addAll(harness.pollAtLeast(1, WAIT));
        all.addAll(harness.pollFor(Duration.ofMillis(400)));
        assertThat(ids(all)).isEqualTo(range(1, 31));
    }

    private void terminateBackends() {
        sql.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND pid <> pg_backend_pid()");
    }

    @Test
    void tablesAddedOrDroppedWhileRunningRequestTaskReconfiguration() throws Exception {
        sql.run(
                "CREATE TABLE a (id int PRIMARY KEY)",
                "CREATE TABLE b (id int PRIMARY KEY)",
                "INSERT INTO b VALUES (1)");
        start(
                props("mode", "incrementing", "incrementing.column.name", "id", "table.poll.interval.ms", "200"),
                new OffsetMemory());
        assertThat(harness.connector().taskConfigs(2))
                .extracting(c -> c.get("tables"))
                .containsExactly("public.a", "public.b");

        sql.run("CREATE TABLE c (id int PRIMARY KEY)");
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> harness.reconfigurationRequests() >= 1);
        assertThat(harness.connector().taskConfigs(2))
                .extracting(c -> c.get("tables"))
                .containsExactly("public.a,public.c", "public.b");

        // The running task still has b: dropping it must not fail the task, only be noticed.
        harness.pollAtLeast(1, WAIT);
        sql.run("DROP TABLE b");
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> harness.reconfigurationRequests() >= 2);
        assertThat(harness.connector().taskConfigs(2))
                .extracting(c -> c.get("tables"))
                .containsExactly("public.a", "public.c");
        assertThat(harness.pollFor(Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void includeAndExcludeListsAndTheirAliasesSelectTables() throws Exception {
        sql.run(
                "CREATE TABLE keep1 (id int PRIMARY KEY)",
                "CREATE TABLE keep2 (id int PRIMARY KEY)",
                "CREATE TABLE skip1 (id int PRIMARY KEY)",
                "CREATE SCHEMA other",
                "CREATE TABLE other.keep1 (id int PRIMARY KEY)");
        start(props("table.include.list", "public.keep1,keep2"), new OffsetMemory());
        assertThat(harness.connector().taskConfigs(1))
                .extracting(c -> c.get("tables"))
                .containsExactly("public.keep1,public.keep2");
        harness.close();
        start(props("table.blacklist", "skip1", "table.exclude.list", "other.keep1"), new OffsetMemory());
        assertThat(harness.connector().taskConfigs(3))
                .extracting(c -> c.get("tables"))
                .containsExactly("public.keep1", "public.keep2");
        harness.close();
        start(props("schema.pattern", "other"), new OffsetMemory());
        assertThat(harness.connector().taskConfigs(3))
                .extracting(c -> c.get("tables"))
                .containsExactly("other.keep1");
    }

    @Test
    void validateAcceptsAWorkingConfigAgainstTheRealDatabase() {
        Map<String, String> props = props("mode", "incrementing", "incrementing.column.name", "id");
        assertThat(new JdbcSourceConnector().validate(props).configValues())
                .allSatisfy(v -> assertThat(v.errorMessages()).as(v.name()).isEmpty());
        props.put("connection.password", "wrong-password");
        props.put("connection.user", "nobody_here");
        assertThat(new JdbcSourceConnector().validate(props).configValues())
                .filteredOn(v -> !v.errorMessages().isEmpty())
                .extracting(v -> v.name())
                .containsExactly("connection.url");
    }
}
