package io.sluice.connect.jdbc.bench;

import io.debezium.connector.postgresql.PostgresConnector;
import io.sluice.connect.jdbc.JdbcSourceConnector;
import io.sluice.connect.jdbc.cdc.PostgresCdcDefaults;
import io.sluice.connect.jdbc.testing.OffsetMemory;
import io.sluice.connect.jdbc.testing.SourceHarness;
import io.sluice.connect.jdbc.testing.Sql;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Throughput and latency of the JDBC polling task and of Debezium's Postgres task, each driven on
 * this thread the way a worker drives it (poll, store offsets, commitRecord, periodic commit), on
 * the test fixture's real PostgreSQL. Records are counted, not appended anywhere: these are the
 * source side's figures.
 *
 * <pre>
 * ./mvnw -q -pl connectors/jdbc-source test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.sluice.connect.jdbc.bench.JdbcSourceBenchmark -Dexec.args="1000000 all"
 * </pre>
 *
 * Arguments: rows (default 1,000,000) and sections, comma-separated: polling, snapshot, streaming,
 * latency, or all.
 */
public final class JdbcSourceBenchmark {

    private static final String PAD = "x".repeat(260);

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Set<String> sections = Set.of((args.length > 1 ? args[1] : "all").split(","));
        boolean all = sections.contains("all");
        TestDatabase db = PostgresFixture.shared().newDatabase();
        Sql sql = new Sql(db.dataSource());
        System.out.printf(
                "PostgreSQL %s, %d cores, rows=%d%n",
                sql.queryString("SHOW server_version"), Runtime.getRuntime().availableProcessors(), rows);
        sql.run(
                "CREATE TABLE bench (id bigserial PRIMARY KEY, n int NOT NULL, amount numeric(12,2) NOT NULL, "
                        + "created timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)",
                "ALTER TABLE bench REPLICA IDENTITY FULL");
        long load = System.nanoTime();
        sql.run(
                "INSERT INTO bench (n, amount, payload) SELECT g, g / 100.0, '" + PAD
                        + "' || g FROM generate_series(1, " + rows + ") g",
                "VACUUM ANALYZE bench");
        System.out.printf(
                "loaded %d rows (avg row %d bytes) in %.1f s%n",
                rows, sql.queryLong("SELECT avg(pg_column_size(b.*))::bigint FROM bench b"), secondsSince(load));

        if (all || sections.contains("polling")) {
            polling(db, "bulk", rows, "100");
            polling(db, "bulk", rows, "1000");
            polling(db, "incrementing", rows, "100");
            polling(db, "incrementing", rows, "1000");
        }
        if (all || sections.contains("snapshot")) {
            snapshot(db, rows);
        }
        if (all || sections.contains("streaming")) {
            streaming(db, rows);
        }
        if (all || sections.contains("latency")) {
            latencyDebezium(db);
            latencyPolling(db);
        }
        db.close();
        System.exit(0);
    }

    private static Map<String, String> jdbcProps(TestDatabase db, String mode, String batch) {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", db.jdbcUrl());
        props.put("connection.user", db.user());
        props.put("connection.password", db.password() == null ? "" : db.password());
        props.put("topic.prefix", "bench-");
        props.put("table.whitelist", "bench");
        props.put("mode", mode);
        props.put("incrementing.column.name", "id");
        props.put("batch.max.rows", batch);
        props.put("poll.interval.ms", "100");
        return props;
    }

    private static void polling(TestDatabase db, String mode, int rows, String batch) throws Exception {
        try (SourceHarness harness =
                new SourceHarness(new JdbcSourceConnector(), jdbcProps(db, mode, batch), new OffsetMemory()).start(1)) {
            long start = System.nanoTime();
            long count = 0;
            while (count < rows) {
                count += harness.pollOnce().size();
            }
            double seconds = secondsSince(start);
            System.out.printf(
                    "polling %-12s batch.max.rows=%-5s %,d rows in %.1f s = %,.0f rows/s%n",
                    mode, batch, count, seconds, count / seconds);
        }
    }

    private static Map<String, String> debeziumProps(TestDatabase db, String name) {
        Map<String, String> props = new HashMap<>();
        // A Connect worker always passes connector.class; Debezium's snapshot services need it.
        props.put("connector.class", PostgresCdcDefaults.CONNECTOR_CLASS);
        props.put("database.hostname", db.host());
        props.put("database.port", Integer.toString(db.port()));
        props.put("database.user", db.user());
        if (db.password() != null) {
            props.put("database.password", db.password());
        }
        props.put("database.dbname", db.database());
        props.put("topic.prefix", "bench");
        props.put("table.include.list", "public.bench");
        props.put("slot.name", "slot_" + name + "_" + db.database());
        props.put("publication.name", "pub_" + db.database());
        return PostgresCdcDefaults.applyTo(props);
    }

    private static void snapshot(TestDatabase db, int rows) throws Exception {
        try (SourceHarness harness =
                new SourceHarness(new PostgresConnector(), debeziumProps(db, "snap"), new OffsetMemory())) {
            long start = System.nanoTime();
            harness.start(1);
            long count = 0;
            long firstAt = 0;
            while (count < rows) {
                List<SourceRecord> records = harness.pollOnce();
                if (firstAt == 0 && !records.isEmpty()) {
                    firstAt = System.nanoTime();
                }
                count += records.stream()
                        .filter(r -> r.topic().equals("bench.public.bench"))
                        .count();
            }
            double seconds = secondsSince(start);
            System.out.printf(
                    "debezium snapshot %,d rows in %.1f s (incl. %.1f s start-up) = %,.0f events/s "
                            + "(%,.0f events/s after the first record)%n",
                    count, seconds, (firstAt - start) / 1e9, count / seconds, count / secondsSince(firstAt));
        }
    }

    private static void streaming(TestDatabase db, int rows) throws Exception {
        // Streaming only: snapshot.mode=no_data, then rows inserted in 10,000-row transactions.
        Map<String, String> props = debeziumProps(db, "stream2");
        props.put("snapshot.mode", "no_data");
        try (SourceHarness harness = new SourceHarness(new PostgresConnector(), props, new OffsetMemory()).start(1)) {
            waitForSlot(db, props.get("slot.name"), harness);
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread inserter = new Thread(() -> {
                try (Connection c = db.openConnection();
                        PreparedStatement insert = c.prepareStatement("INSERT INTO bench (n, amount, payload) "
                                + "SELECT g, g / 100.0, '" + PAD + "' || g FROM generate_series(?, ?) g")) {
                    for (int from = 1; from <= rows; from += 10_000) {
                        insert.setInt(1, from);
                        insert.setInt(2, Math.min(rows, from + 9_999));
                        insert.execute();
                    }
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            long start = System.nanoTime();
            inserter.start();
            long count = 0;
            long lastCommit = System.nanoTime();
            while (count < rows && failure.get() == null) {
                count += harness.pollOnce().stream()
                        .filter(r -> r.topic().equals("bench.public.bench"))
                        .count();
                if (System.nanoTime() - lastCommit > 1_000_000_000L) {
                    harness.commitOffsets();
                    lastCommit = System.nanoTime();
                }
            }
            inserter.join();
            double seconds = secondsSince(start);
            System.out.printf(
                    "debezium streaming %,d inserts in %.1f s (first insert to last event) = %,.0f events/s%n",
                    count, seconds, count / seconds);
        }
    }

    private static void waitForSlot(TestDatabase db, String slot, SourceHarness harness) throws Exception {
        Sql sql = new Sql(db.dataSource());
        while (sql.queryLong("SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + slot + "'")
                == 0) {
            harness.pollOnce();
        }
    }

    private static void latencyDebezium(TestDatabase db) throws Exception {
        Map<String, String> props = debeziumProps(db, "lat");
        props.put("snapshot.mode", "no_data");
        try (SourceHarness harness = new SourceHarness(new PostgresConnector(), props, new OffsetMemory()).start(1)) {
            waitForSlot(db, props.get("slot.name"), harness);
            report("debezium (defaults)", measureLatency(db, harness, "bench.public.bench"));
        }
    }

    private static void latencyPolling(TestDatabase db) throws Exception {
        Map<String, String> props = jdbcProps(db, "incrementing", "100");
        OffsetMemory offsets = new OffsetMemory();
        offsets.put(
                Map.of("table", "public.bench"),
                Map.of("incrementing", new Sql(db.dataSource()).queryLong("SELECT max(id) FROM bench")));
        try (SourceHarness harness = new SourceHarness(new JdbcSourceConnector(), props, offsets).start(1)) {
            report("jdbc incrementing, poll.interval.ms=100", measureLatency(db, harness, "bench-bench"));
        }
    }

    /** Inserts one row every 5 ms (200 rows/s, autocommit) for 20 s; latency = poll return - commit return. */
    private static long[] measureLatency(TestDatabase db, SourceHarness harness, String topic) throws Exception {
        int total = 4000;
        Map<Long, Long> committedAt = new ConcurrentHashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread inserter = new Thread(() -> {
            try (Connection c = db.openConnection();
                    PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO bench (n, amount, payload) VALUES (?, 1, 'latency') RETURNING id")) {
                long next = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    next += 5_000_000L;
                    insert.setInt(1, -i);
                    long id;
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                    committedAt.put(id, System.nanoTime());
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
                    }
                }
            } catch (Exception e) {
                failure.set(e);
            }
        });
        inserter.start();
        List<Long> latencies = new ArrayList<>(total);
        long lastCommit = System.nanoTime();
        while (latencies.size() < total && failure.get() == null) {
            List<SourceRecord> records = harness.pollOnce();
            long now = System.nanoTime();
            for (SourceRecord record : records) {
                if (!record.topic().equals(topic) || record.value() == null) {
                    continue;
                }
                Struct value = (Struct) record.value();
                Struct row = value.schema().field("after") != null ? value.getStruct("after") : value;
                Long committed = committedAt.get(row.getInt64("id"));
                // The poll can see a row before the inserter thread recorded its commit time.
                latencies.add(committed == null ? 0L : Math.max(0L, now - committed));
            }
            if (now - lastCommit > 1_000_000_000L) {
                harness.commitOffsets();
                lastCommit = now;
            }
        }
        inserter.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static void report(String what, long[] sorted) {
        System.out.printf(
                "latency %s at 200 rows/s, %d rows: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                what,
                sorted.length,
                sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private JdbcSourceBenchmark() {}
}
