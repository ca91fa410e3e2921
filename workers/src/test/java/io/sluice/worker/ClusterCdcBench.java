package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import io.sluice.worker.testconnectors.FileLineSinkConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CDC throughput end to end (Postgres → Debezium with its default settings → the hub's log → a sink
 * writing lines), one worker beside a 3-worker cluster (the topic replicated on all three): rows of
 * about 2 KB, a {@code cdc.bench.rows}-row snapshot (default 30,000) timed from the connector's
 * creation to its last row in the sink, then {@code cdc.bench.stream} more rows (default 20,000)
 * timed from the first insert to the last row in the sink. Not part of the suite: {@code bench/run
 * cdc-cluster}.
 */
class ClusterCdcBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = Integer.getInteger("cdc.bench.rows", 30_000);
    private static final int STREAM = Integer.getInteger("cdc.bench.stream", 20_000);

    @TempDir
    Path dir;

    private static Path console() {
        return Path.of("target", "ClusterCdcBench-console.txt").toAbsolutePath();
    }

    @Test
    void throughput() throws Exception {
        Files.deleteIfExists(console());
        String single = measure(1);
        String cluster = measure(3);
        System.out.printf(
                "## CDC end to end, %d-row snapshot then %d streamed rows of ~2 KB, Debezium defaults%n%s%n%s%n",
                ROWS, STREAM, single, cluster);
    }

    private String measure(int workers) throws Exception {
        Path run = dir.resolve("w" + workers);
        Files.createDirectories(run.resolve("out"));
        Path lines = run.resolve("out").resolve("lines-0");
        try (TestDatabase db = PostgresFixture.shared().newDatabase();
                WideTable table = WideTable.preload(db, ROWS);
                ChildCluster cluster = ChildCluster.start(run, console(), workers)) {
            ChildWorker via = cluster.worker(1);
            long t0 = System.nanoTime();
            post(via, "cdc", cdc(db, workers));
            post(via, "lines", sink(run));
            await(lines, l -> ops(l, "r") >= ROWS);
            double snapshotSeconds = (System.nanoTime() - t0) / 1e9;

            long t1 = System.nanoTime();
            try (Connection c = db.openConnection();
                    Statement s = c.createStatement()) {
                for (int from = ROWS + 1; from <= ROWS + STREAM; from += 1_000) {
                    s.execute("INSERT INTO " + WideTable.TABLE + " SELECT g, 0, repeat(md5(g::text), "
                            + WideTable.PAYLOAD_CHARS / 32 + ") FROM generate_series(" + from + ", "
                            + Math.min(from + 999, ROWS + STREAM) + ") g");
                }
            }
            await(lines, l -> ops(l, "c") >= STREAM);
            double streamSeconds = (System.nanoTime() - t1) / 1e9;
            return String.format(
                    "%s: snapshot %,d rows in %.1f s = %,.0f rows/s; streaming %,d rows in %.1f s = %,.0f rows/s"
                            + " (first insert to last row in the sink); load average %s",
                    workers == 1 ? "1 worker  " : workers + " workers",
                    ROWS,
                    snapshotSeconds,
                    ROWS / snapshotSeconds,
                    STREAM,
                    streamSeconds,
                    STREAM / streamSeconds,
                    Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    private static void await(Path lines, Predicate<List<WideTable.Change>> done) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofMinutes(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Files.exists(lines) && done.test(WideTable.parse(lines)));
    }

    private static long ops(List<WideTable.Change> lines, String op) {
        return lines.stream()
                .filter(c -> c.op().equals(op))
                .map(WideTable.Change::id)
                .distinct()
                .count();
    }

    private static Map<String, String> cdc(TestDatabase db, int workers) {
        String suffix = "bench_" + db.database();
        Map<String, String> c =
                CdcConfigs.postgres(db, "bench", "public." + WideTable.TABLE, "slot_" + suffix, "pub_" + suffix);
        c.put("tasks.max", "1");
        c.put("topic.creation.default.partitions", Integer.toString(workers));
        return c;
    }

    private static Map<String, String> sink(Path run) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", FileLineSinkConnector.class.getName());
        c.put("topics", "bench.public." + WideTable.TABLE);
        c.put("tasks.max", "1");
        c.put("file", run.resolve("out").resolve("lines").toString());
        c.putAll(WideTable.sinkTransforms());
        return c;
    }

    private static void post(ChildWorker via, String name, Map<String, String> config) throws Exception {
        var response = via.post("/connectors", JSON.writeValueAsString(Map.of("name", name, "config", config)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
