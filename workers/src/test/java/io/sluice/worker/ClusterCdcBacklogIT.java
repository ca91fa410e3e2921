package io.sluice.worker;

import static io.sluice.worker.ChildCluster.allTasksRunning;
import static io.sluice.worker.ChildCluster.statuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import io.sluice.worker.WideTable.Change;
import io.sluice.worker.testconnectors.FileLineSinkConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of CDC in a cluster on a loaded host: three worker JVMs, the machine kept busy
 * by {@link CpuLoad} ({@code -Dsluice.test.cpu-load=6}, as {@code bench/run stressed} runs it) from the
 * moment they are up to the end, Debezium with its default batch and queue sizes
 * snapshotting {@value #ROWS} rows of about 2 KB into a topic replicated over the workers, then the
 * worker running the CDC task killed with SIGKILL, {@value #BACKLOG} more rows of the same width
 * written while it is down, and the worker started again (it rejoins, and may take tasks back). Every
 * row reaches the sink, the snapshot is taken once (as many snapshot reads as preloaded rows, and
 * Debezium's log says one snapshot), and no task is FAILED at the end.
 */
class ClusterCdcBacklogIT {

    private static final int WORKERS = 3;
    private static final int ROWS = 30_000;
    private static final int BACKLOG = 20_000;
    private static final int LOAD_WORKERS = CpuLoad.configuredWorkers();
    private static final String CDC = "cdc-wide";
    private static final String PREFIX = "backlog";
    private static final String TOPIC = PREFIX + ".public." + WideTable.TABLE;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Kept when the test fails: the workers' data directories are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static Path console() {
        return Path.of("target", "ClusterCdcBacklogIT-console.txt").toAbsolutePath();
    }

    private static Path lines() {
        return dir.resolve("out").resolve("lines-0");
    }

    @Test
    void shouldDeliverTheSnapshotOnceAndABacklogWrittenWhileTheCdcWorkerIsDeadOnALoadedHost() throws Exception {
        Files.deleteIfExists(console());
        Files.createDirectories(dir.resolve("out"));
        System.out.println("ClusterCdcBacklogIT: workers' data in " + dir + ", their output in " + console());
        long started = System.nanoTime();
        // the load starts once the workers are up: it is there for the snapshot, the kill and the backlog
        try (TestDatabase db = PostgresFixture.shared().newDatabase();
                WideTable table = WideTable.preload(db, ROWS);
                ChildCluster cluster = ChildCluster.start(dir, console(), WORKERS);
                CpuLoad load = CpuLoad.start(LOAD_WORKERS)) {
            ChildWorker via = cluster.worker(1);
            post(via, CDC, cdc(db));
            post(via, "lines", sink());
            awaitLines(l -> snapshotRows(l) >= ROWS, "the whole snapshot in the sink", Duration.ofMinutes(6));
            long snapshotDone = System.nanoTime();

            int victim = cdcWorker(cluster);
            cluster.kill(victim);
            writeBacklog(db);
            ChildWorker survivor = cluster.anyExcept(victim);
            awaitTasksRunning(survivor, "node-" + victim);
            cluster.restart(victim);
            cluster.awaitMembers(WORKERS);

            awaitLines(l -> deliveredBacklog(l) >= BACKLOG, "the whole backlog in the sink", Duration.ofMinutes(6));
            awaitTasksRunning(cluster.worker(victim));
            assertThat(load.isAlive()).as("the load ran throughout (%s)", load).isTrue();

            List<Change> got = WideTable.parse(lines());
            Set<Change> distinct = new HashSet<>(got);
            long snapshotLines = got.stream().filter(c -> c.op().equals("r")).count();
            System.out.printf(
                    "ClusterCdcBacklogIT: under %s: %d snapshot rows in %d s; node %d (running %s) killed, %d rows"
                            + " written meanwhile; %d lines, %d distinct, %d snapshot reads, snapshots taken: %d;"
                            + " test took %d s%n",
                    load,
                    ROWS,
                    (snapshotDone - started) / 1_000_000_000,
                    victim,
                    CDC,
                    BACKLOG,
                    got.size(),
                    distinct.size(),
                    snapshotLines,
                    snapshotsTaken(),
                    (System.nanoTime() - started) / 1_000_000_000);
            assertThat(snapshotsTaken()).as("snapshots Debezium took").isEqualTo(1);
            assertThat(distinct.stream().filter(c -> c.op().equals("r")).count())
                    .as("snapshot rows, each delivered")
                    .isEqualTo(ROWS);
            assertThat(distinct.stream().filter(c -> c.op().equals("c")).count())
                    .as("backlog rows, each delivered")
                    .isEqualTo(BACKLOG);
            assertThat(distinct).as("nothing but the snapshot and the backlog").hasSize(ROWS + BACKLOG);
            // snapshot reads the sink repeats (it resumes from its last committed offset after each stop,
            // and on this host its commits fail while its worker is out of the cluster) are printed above,
            // not bounded: the source-side truth is Debezium's own count of snapshots
            assertThat(failedTasks(cluster.worker(victim)))
                    .as("tasks FAILED at the end")
                    .isEmpty();
        }
    }

    /** The node running the CDC task, as the cluster reports it. */
    private static int cdcWorker(ChildCluster cluster) {
        AtomicReference<Integer> node = new AtomicReference<>();
        await("the CDC task's worker")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    JsonNode status = JSON.readTree(cluster.worker(1)
                            .get("/connectors/" + CDC + "/status")
                            .body());
                    JsonNode task = status.path("tasks").path(0);
                    if (!"RUNNING".equals(task.path("state").asText())) {
                        return false;
                    }
                    node.set(Integer.parseInt(task.get("worker_id").asText().substring("node-".length())));
                    return true;
                });
        return node.get();
    }

    /** {@value #BACKLOG} rows of the same width as the snapshot's, in a few transactions. */
    private static void writeBacklog(TestDatabase db) throws Exception {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement()) {
            for (int from = ROWS + 1; from <= ROWS + BACKLOG; from += 5_000) {
                s.execute("INSERT INTO " + WideTable.TABLE + " SELECT g, 0, repeat(md5(g::text), "
                        + WideTable.PAYLOAD_CHARS / 32 + ") FROM generate_series(" + from + ", "
                        + Math.min(from + 4_999, ROWS + BACKLOG) + ") g");
            }
        }
    }

    private static void awaitTasksRunning(ChildWorker from, String... notOn) {
        await("every task RUNNING")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> allTasksRunning(from, 2, notOn));
    }

    private static List<String> failedTasks(ChildWorker from) {
        List<String> failed = new java.util.ArrayList<>();
        for (JsonNode c : statuses(from)) {
            for (JsonNode t : c.path("status").path("tasks")) {
                if ("FAILED".equals(t.path("state").asText())) {
                    failed.add(c.path("status").path("name").asText() + "/"
                            + t.path("id").asInt() + ": " + t.path("trace").asText());
                }
            }
        }
        return failed;
    }

    private static long snapshotRows(List<Change> lines) {
        return lines.stream()
                .filter(c -> c.op().equals("r"))
                .map(Change::id)
                .distinct()
                .count();
    }

    private static long deliveredBacklog(List<Change> lines) {
        return lines.stream()
                .filter(c -> c.op().equals("c"))
                .map(Change::id)
                .distinct()
                .count();
    }

    private static void awaitLines(java.util.function.Predicate<List<Change>> condition, String what, Duration within) {
        await(what)
                .atMost(within)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> condition.test(WideTable.parse(lines())));
    }

    /** Debezium's snapshots as the workers' logs say: one "Snapshot completed" line each. */
    private static long snapshotsTaken() throws Exception {
        try (var all = Files.lines(console(), StandardCharsets.UTF_8)) {
            return all.filter(l -> l.contains("Snapshot completed")).count();
        }
    }

    private static void post(ChildWorker via, String name, Map<String, String> config) throws Exception {
        var response = via.post("/connectors", JSON.writeValueAsString(Map.of("name", name, "config", config)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static Map<String, String> cdc(TestDatabase db) {
        String suffix = "backlog_" + db.database();
        Map<String, String> c =
                CdcConfigs.postgres(db, PREFIX, "public." + WideTable.TABLE, "slot_" + suffix, "pub_" + suffix);
        c.put("tasks.max", "1");
        c.put("topic.creation.default.partitions", Integer.toString(WORKERS));
        return c;
    }

    private static Map<String, String> sink() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", FileLineSinkConnector.class.getName());
        c.put("topics", TOPIC);
        c.put("tasks.max", "1");
        c.put("file", dir.resolve("out").resolve("lines").toString());
        c.putAll(WideTable.sinkTransforms());
        return c;
    }
}
