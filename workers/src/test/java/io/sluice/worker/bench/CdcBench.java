package io.sluice.worker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.service.ConnectorService;
import io.sluice.core.status.TargetState;
import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.PartitionLog;
import io.sluice.log.StoredRecord;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import io.sluice.worker.SluiceApplication;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue-5 figures measured end to end through one worker started in this JVM with its default
 * settings: PostgreSQL (the test fixture's, same machine) → the connector's task → converters →
 * the hub's log; a record counts once it is readable from its topic. Sections:
 *
 * <ul>
 *   <li>{@code snapshot}: Debezium's initial snapshot of the {@code rows}-row table (~300 bytes a row).
 *   <li>{@code streaming}: {@code rows} inserted in 10,000-row transactions while a streaming-only
 *       connector runs (first insert to last record in the log), then the same number of rows
 *       inserted while the connector is stopped and drained on resume (resume to last record).
 *   <li>{@code latency}: one row committed every 5 ms (200 rows/s) for 20 s; latency = the record
 *       readable in the log minus the return of the row's commit.
 *   <li>{@code polling}: the JDBC polling source, {@code bulk} and {@code incrementing}, with the
 *       default {@code batch.max.rows} and 1000.
 * </ul>
 *
 * Run with {@code bench/run cdc [rows] [sections]}. Usage: {@code CdcBench <dataDir> [rows]
 * [sections, comma-separated or all]}.
 */
public final class CdcBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAD = "x".repeat(260);

    private final ConnectorService connectors;
    private final Log log;
    private final TestDatabase db;
    private final CpuAccount cpu;
    private final io.micrometer.core.instrument.MeterRegistry meters;

    private CdcBench(
            ConnectorService connectors, Log log, TestDatabase db, io.micrometer.core.instrument.MeterRegistry meters)
            throws Exception {
        this.meters = meters;
        this.connectors = connectors;
        this.log = log;
        this.db = db;
        this.cpu = new CpuAccount(db);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rows = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : 1_000_000;
        Set<String> sections = Set.of((args.length > 2 ? args[2] : "all").split(","));
        boolean all = sections.contains("all");
        TestDatabase db = PostgresFixture.shared().newDatabase();
        sql(
                db,
                "CREATE TABLE bench (id bigserial PRIMARY KEY, n int NOT NULL, amount numeric(12,2) NOT NULL, "
                        + "created timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)",
                "ALTER TABLE bench REPLICA IDENTITY FULL");
        long load = System.nanoTime();
        insert(db, 1, rows);
        sql(db, "VACUUM ANALYZE bench");
        System.out.printf(
                "## PostgreSQL %s; loaded %,d rows (avg %d bytes a row) in %.1f s%n",
                queryString(db, "SHOW server_version"),
                rows,
                queryLong(db, "SELECT avg(pg_column_size(b.*))::bigint FROM bench b"),
                secondsSince(load));
        ConfigurableApplicationContext worker = new SpringApplicationBuilder(SluiceApplication.class)
                .run(
                        "--sluice.data-dir=" + dir,
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--sluice.plugin-path=" + dir.resolve("no-plugins"),
                        "--logging.level.root=WARN");
        try {
            CdcBench bench = new CdcBench(
                    worker.getBean(ConnectorService.class),
                    worker.getBean(Log.class),
                    db,
                    worker.getBean(io.micrometer.core.instrument.MeterRegistry.class));
            System.out.println("## worker defaults; JSON converters with schemas; 1 partition per topic");
            if (all || sections.contains("snapshot")) {
                bench.snapshot(rows);
            }
            if (all || sections.contains("streaming")) {
                bench.streaming(rows);
            }
            if (all || sections.contains("latency")) {
                bench.latency();
            }
            if (all || sections.contains("polling")) {
                bench.polling(rows, "bulk", null);
                bench.polling(rows, "bulk", "1000");
                bench.polling(rows, "incrementing", null);
                bench.polling(rows, "incrementing", "1000");
            }
        } finally {
            worker.close();
            db.close();
        }
        System.exit(0);
    }

    private Map<String, String> cdc(String name, String snapshotMode) {
        Map<String, String> c = io.sluice.worker.CdcConfigs.postgres(
                db, name, "public.bench", name + "_" + db.database(), "pub_" + db.database());
        c.put("snapshot.mode", snapshotMode);
        c.put("sluice.cdc.drop.slot.on.delete", "true");
        return c;
    }

    private void snapshot(int rows) throws Exception {
        long start = System.nanoTime();
        cpu.start();
        connectors.createConnector("snap", cdc("snap", "initial"), TargetState.STARTED);
        long first = awaitRecords("snap.public.bench", 1);
        long end = awaitRecords("snap.public.bench", rows);
        System.out.printf(
                "cdc snapshot    %,d rows: %.1f s = %,.0f events/s (incl. %.1f s start-up; %,.0f events/s after the"
                        + " first record)%n",
                rows,
                (end - start) / 1e9,
                rows / ((end - start) / 1e9),
                (first - start) / 1e9,
                (rows - 1) / ((end - first) / 1e9));
        System.out.println(cpu.report(rows));
        connectors.deleteConnector("snap");
    }

    private void streaming(int rows) throws Exception {
        String topic = "stream.public.bench";
        connectors.createConnector("stream", cdc("stream", "no_data"), TargetState.STARTED);
        awaitSlotActive("stream_" + db.database());
        long base = endOffset(topic);
        long maxId = queryLong(db, "SELECT max(id) FROM bench");
        long start = System.nanoTime();
        cpu.start();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread inserter = new Thread(() -> {
            try {
                insert(db, maxId + 1, rows);
            } catch (Exception e) {
                failure.set(e);
            }
        });
        inserter.start();
        long end = awaitRecords(topic, base + rows);
        inserter.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        System.out.printf(
                "cdc streaming   %,d inserts (10,000-row transactions) while streaming: %.1f s first insert to last"
                        + " record = %,.0f events/s%n",
                rows, (end - start) / 1e9, rows / ((end - start) / 1e9));
        System.out.println(cpu.report(rows));
        connectors.stopConnector("stream");
        awaitSlotInactive("stream_" + db.database());
        long loadStart = System.nanoTime();
        insert(db, maxId + rows + 1, rows);
        double loadSeconds = secondsSince(loadStart);
        long resume = System.nanoTime();
        cpu.start();
        connectors.resumeConnector("stream");
        long drained = awaitRecords(topic, base + 2L * rows);
        System.out.printf(
                "cdc streaming   %,d inserts made while stopped (in %.1f s), drained on resume: %.1f s = %,.0f"
                        + " events/s%n",
                rows, loadSeconds, (drained - resume) / 1e9, rows / ((drained - resume) / 1e9));
        System.out.println(cpu.report(rows));
        connectors.deleteConnector("stream");
    }

    private void latency() throws Exception {
        String topic = "lat.public.bench";
        connectors.createConnector("lat", cdc("lat", "no_data"), TargetState.STARTED);
        awaitSlotActive("lat_" + db.database());
        int total = 4000;
        Map<Long, Long> committedAt = new ConcurrentHashMap<>();
        Map<Long, Long> readAt = new ConcurrentHashMap<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                awaitTopic(topic);
                PartitionLog p = log.partition(topic, 0);
                long offset = 0;
                while (readAt.size() < total) {
                    FetchResult r = p.fetch(offset, 1 << 20, Duration.ofMillis(200));
                    long now = System.nanoTime();
                    for (StoredRecord rec : r.records()) {
                        if (rec.value() != null) {
                            JsonNode id = JSON.readTree(rec.value()).at("/payload/after/id");
                            if (!id.isMissingNode()) {
                                readAt.putIfAbsent(id.asLong(), now);
                            }
                        }
                    }
                    offset = r.nextOffset();
                }
            } catch (Exception e) {
                failure.set(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        try (Connection c = db.openConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO bench (n, amount, payload) VALUES (?, 1, 'latency') RETURNING id")) {
            long next = System.nanoTime();
            for (int i = 0; i < total; i++) {
                next += 5_000_000L;
                insert.setInt(1, -i);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    committedAt.put(rs.getLong(1), System.nanoTime());
                }
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (readAt.size() < total && failure.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        long[] sorted = committedAt.entrySet().stream()
                .filter(e -> readAt.containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, readAt.get(e.getKey()) - e.getValue()))
                .sorted()
                .toArray();
        System.out.printf(
                "cdc latency     commit -> readable in the log at 200 rows/s, %d rows (%d missing): p50 %.0f ms, p99"
                        + " %.0f ms, max %.0f ms%n",
                sorted.length,
                total - sorted.length,
                sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
        io.micrometer.core.instrument.Timer commits = meters.find(
                        io.sluice.core.metrics.MetricNames.OFFSET_COMMIT_LATENCY)
                .tag(io.sluice.core.metrics.MetricNames.TAG_CONNECTOR, "lat")
                .timer();
        if (commits != null) {
            System.out.printf(
                    "    offset commits (log flush + offsets stored, on the committer thread): %d, mean %.1f ms, max %.1f"
                            + " ms%n",
                    commits.count(),
                    commits.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                    commits.max(java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        connectors.deleteConnector("lat");
    }

    private void polling(int rows, String mode, String batch) throws Exception {
        String name = "poll-" + mode + (batch == null ? "" : "-" + batch);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.sluice.connect.jdbc.JdbcSourceConnector");
        c.put("connection.url", db.jdbcUrl());
        c.put("connection.user", db.user());
        c.put("connection.password", db.password());
        c.put("table.whitelist", "bench");
        c.put("mode", mode);
        c.put("incrementing.column.name", "id");
        c.put("topic.prefix", name + "-");
        if (batch != null) {
            c.put("batch.max.rows", batch);
        }
        long start = System.nanoTime();
        cpu.start();
        connectors.createConnector(name, c, TargetState.STARTED);
        long end = awaitRecords(name + "-bench", rows);
        System.out.printf(
                "polling %-12s batch.max.rows=%-7s %,d rows: %.1f s = %,.0f rows/s (incl. start-up)%n",
                mode, batch == null ? "default" : batch, rows, (end - start) / 1e9, rows / ((end - start) / 1e9));
        System.out.println(cpu.report(rows));
        connectors.deleteConnector(name);
    }

    /** Waits until the topic's partition 0 has {@code count} records; returns System.nanoTime() then. */
    private long awaitRecords(String topic, long count) throws InterruptedException {
        awaitTopic(topic);
        PartitionLog p = log.partition(topic, 0);
        while (p.highWatermark() < count) {
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    private long endOffset(String topic) {
        return log.topics().contains(topic) ? log.partition(topic, 0).highWatermark() : 0;
    }

    private void awaitTopic(String topic) throws InterruptedException {
        while (!log.topics().contains(topic)) {
            Thread.sleep(5);
        }
    }

    private void awaitSlotActive(String slot) throws Exception {
        while (queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + slot + "'")
                == 0) {
            Thread.sleep(50);
        }
    }

    private void awaitSlotInactive(String slot) throws Exception {
        while (queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + slot + "'")
                > 0) {
            Thread.sleep(50);
        }
    }

    private static void insert(TestDatabase db, long fromId, int rows) throws Exception {
        try (Connection c = db.openConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO bench (id, n, amount, payload) "
                        + "SELECT g, g, g / 100.0, '" + PAD + "' || g FROM generate_series(?::bigint, ?::bigint) g")) {
            for (long from = fromId; from < fromId + rows; from += 10_000) {
                insert.setLong(1, from);
                insert.setLong(2, Math.min(fromId + rows - 1, from + 9_999));
                insert.execute();
            }
        }
        sql(db, "SELECT setval('bench_id_seq', (SELECT max(id) FROM bench))");
    }

    private static void sql(TestDatabase db, String... statements) throws Exception {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static long queryLong(TestDatabase db, String query) throws Exception {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String queryString(TestDatabase db, String query) throws Exception {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
