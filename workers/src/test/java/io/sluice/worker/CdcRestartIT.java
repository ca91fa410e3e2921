package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import io.sluice.worker.WideTable.Change;
import io.sluice.worker.testconnectors.FileLineSinkConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debezium's Postgres connector with its default batch and queue sizes, on one worker in a child
 * JVM, through restarts: a snapshot of {@value #ROWS} rows of about 2 KB, the worker killed with
 * SIGKILL a second after the snapshot's last record is in the log (under a flush interval longer than
 * the snapshot), then stopped with SIGTERM mid-streaming, then
 * killed with SIGKILL mid-streaming, each time started again on its data directory. The snapshot is
 * taken once (its end is committed at once, a graceful stop commits before it ends), every streamed
 * change reaches the sink, and the last kill repeats, on each side, no more than about one offset
 * flush interval of the traffic before it.
 */
class CdcRestartIT {

    private static final int ROWS = 30_000;
    private static final int CHANGES_PER_SECOND = 100;
    /** The worker's default sluice.offset-flush-interval. */
    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);
    /** A loaded host's allowance on top of one interval: a commit in flight, a slow fsync, a late poll. */
    private static final Duration SLACK = Duration.ofSeconds(5);
    /** The flush interval of the first run, longer than its snapshot takes. */
    private static final Duration LONG_INTERVAL = Duration.ofSeconds(120);
    /** From the snapshot's last record in the log to the first SIGKILL. */
    private static final Duration SNAPSHOT_END_TO_KILL = Duration.ofSeconds(1);

    private static final String CDC = "cdc-wide";
    private static final String PREFIX = "restart";
    private static final String TOPIC = PREFIX + ".public." + WideTable.TABLE;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private static Path console() {
        return Path.of("target", "CdcRestartIT-console.txt").toAbsolutePath();
    }

    private Path lines() {
        return dir.resolve("out").resolve("lines-0");
    }

    @Test
    void shouldSnapshotOnceAndDeliverEveryChangeThroughKillsAndGracefulStops() throws Exception {
        Files.deleteIfExists(console());
        long started = System.nanoTime();
        Files.createDirectories(dir.resolve("out"));
        String classPath = ChildWorker.stableClassPath(dir.resolve("classpath"));
        Path data = dir.resolve("data");
        try (TestDatabase db = PostgresFixture.shared().newDatabase();
                WideTable table = WideTable.preload(db, ROWS)) {
            // 1: the snapshot, then SIGKILL soon after its last record is in the log, under a flush
            // interval longer than the snapshot: only a commit made when the snapshot ended saves a
            // second snapshot
            ChildWorker first = ChildWorker.start(
                    classPath, data, console(), "--sluice.offset-flush-interval=" + LONG_INTERVAL.toSeconds() + "s");
            post(first, CDC, cdc(db));
            post(first, "lines", sink());
            await("the whole snapshot in the log")
                    .atMost(Duration.ofSeconds(300))
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions()
                    .until(() -> records(first) >= ROWS);
            Thread.sleep(SNAPSHOT_END_TO_KILL.toMillis()); // the scenario's timing, not a wait for a condition
            first.kill();

            // 2: streaming, then SIGTERM mid-stream
            ChildWorker worker = ChildWorker.start(classPath, data, console());
            awaitRunning(worker);
            table.startWriting(CHANGES_PER_SECOND);
            awaitLines(l -> streamed(l) >= 1_000, "streamed changes after the first restart");
            assertThat(worker.terminate(60)).as("exit status after SIGTERM").isEqualTo(143);
            long sizeAtTerm = WideTable.lineCount(lines());

            // 3: streaming, then SIGKILL mid-stream, the sink's rate measured just before
            worker = ChildWorker.start(classPath, data, console());
            awaitRunning(worker);
            long beforeKill = WideTable.lineCount(lines());
            double rate = streamThenMeasure(beforeKill + 3_000);
            worker.kill();
            long sizeAtKill = WideTable.lineCount(lines());

            // 4: the rest delivered
            worker = ChildWorker.start(classPath, data, console());
            awaitRunning(worker);
            table.stopWriting();
            assertThat(table.failure()).as("the writer's own failure").isNull();
            Set<Change> committed = table.committed();
            awaitLines(l -> new HashSet<>(l).containsAll(committed), "every committed change in the sink");
            assertThat(worker.terminate(60)).isEqualTo(143);

            List<Change> got = WideTable.parse(lines());
            Set<Change> distinct = new HashSet<>(got);
            Map<String, Long> logged = loggedOps(data);
            long loggedTotal =
                    logged.values().stream().mapToLong(Long::longValue).sum();
            long sourceRepeats = loggedTotal - ROWS - committed.size();
            long sinkRepeats = got.size() - loggedTotal;
            long repeatsBeforeTerm = repeats(got.subList(0, (int) sizeAtTerm));
            long repeatsBeforeKill = repeats(got.subList(0, (int) sizeAtKill));
            long termRepeats = repeatsBeforeKill - repeatsBeforeTerm;
            long killRepeats = repeats(got) - repeatsBeforeKill;
            // the source repeats only after the SIGKILL mid-stream: snapshot reads are checked apart
            long sinkKillRepeats = killRepeats - sourceRepeats;
            System.out.printf(
                    "CdcRestartIT: %d snapshot rows, %d streamed changes; %d lines, %d records in the log %s;"
                            + " repeats in all: %d by the source, %d by the sink; after the SIGTERM: %d; the SIGKILL"
                            + " mid-stream (sink at %.0f lines/s) was followed by %d repeated lines = %.2f s of"
                            + " traffic: %d by the source (%.2f s), %d by the sink (%.2f s), flush interval %d s;"
                            + " snapshots taken: %d; test took %d s%n",
                    ROWS,
                    committed.size(),
                    got.size(),
                    loggedTotal,
                    logged,
                    sourceRepeats,
                    sinkRepeats,
                    termRepeats,
                    rate,
                    killRepeats,
                    killRepeats / rate,
                    sourceRepeats,
                    sourceRepeats / rate,
                    sinkKillRepeats,
                    sinkKillRepeats / rate,
                    FLUSH_INTERVAL.toSeconds(),
                    snapshotsTaken(),
                    (System.nanoTime() - started) / 1_000_000_000);

            assertThat(logged.getOrDefault("r", 0L))
                    .as("snapshot reads the source appended: the preloaded rows, once")
                    .isEqualTo(ROWS);
            assertThat(snapshotsTaken()).as("snapshots Debezium took").isEqualTo(1);
            assertThat(got.stream()
                            .filter(c -> c.op().equals("r"))
                            .map(Change::id)
                            .distinct()
                            .count())
                    .as("snapshot rows in the sink")
                    .isEqualTo(ROWS);
            assertThat(distinct).as("every streamed change delivered").containsAll(committed);
            assertThat(distinct.size())
                    .as("nothing delivered that was not committed")
                    .isEqualTo(ROWS + committed.size());
            assertThat(termRepeats).as("lines repeated after the graceful stop").isZero();
            long bound = (long) (rate * seconds(FLUSH_INTERVAL.plus(SLACK)));
            assertThat(sourceRepeats)
                    .as("records the source appended twice after the SIGKILL, at %.0f lines/s", rate)
                    .isLessThanOrEqualTo(bound);
            assertThat(sinkKillRepeats)
                    .as("records the sink put twice after the SIGKILL, at %.0f lines/s", rate)
                    .isLessThanOrEqualTo(bound);
        }
    }

    private static long repeats(List<Change> lines) {
        return lines.size() - new HashSet<>(lines).size();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** Streams until the sink has {@code target} lines; returns its rate in lines/s over the last 2 s. */
    private double streamThenMeasure(long target) {
        ArrayDeque<long[]> samples = new ArrayDeque<>();
        await().atMost(Duration.ofSeconds(240))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long now = System.nanoTime();
                    long n = WideTable.lineCount(lines());
                    samples.addLast(new long[] {now, n});
                    while (samples.size() > 2 && now - samples.peekFirst()[0] > 2_000_000_000L) {
                        samples.removeFirst();
                    }
                    return n >= target;
                });
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        return (last[1] - first[1]) / ((last[0] - first[0]) / 1e9);
    }

    private static long streamed(List<Change> lines) {
        return lines.stream().filter(c -> !c.op().equals("r")).count();
    }

    private static long snapshotRows(List<Change> lines) {
        return lines.stream()
                .filter(c -> c.op().equals("r"))
                .map(Change::id)
                .distinct()
                .count();
    }

    private void awaitLines(java.util.function.Predicate<List<Change>> condition, String what) {
        await(what)
                .atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> condition.test(WideTable.parse(lines())));
    }

    /** Debezium's snapshots as its log says: one "Snapshot completed" line each. */
    private static long snapshotsTaken() throws Exception {
        try (var lines = Files.lines(console(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("Snapshot completed")).count();
        }
    }

    /** Records in the CDC topic of the worker's log (read after the worker stopped), by Debezium {@code op}. */
    static Map<String, Long> loggedOps(Path data) throws Exception {
        Map<String, Long> ops = new java.util.TreeMap<>();
        try (Log log = Log.open(LogOptions.defaults(data))) {
            for (var partition : log.partitionsOf(TOPIC)) {
                long offset = partition.logStartOffset();
                while (offset < partition.highWatermark()) {
                    var fetched = partition.fetch(offset, 8 << 20);
                    for (var record : fetched.records()) {
                        ops.merge(op(record.value()), 1L, Long::sum);
                    }
                    offset = fetched.nextOffset();
                }
            }
        }
        return ops;
    }

    /** The {@code op} of a Debezium change event as the JSON converter wrote it. */
    static String op(byte[] value) {
        String json = new String(value, StandardCharsets.UTF_8);
        int at = json.lastIndexOf("\"op\":\"");
        return at < 0 ? "?" : json.substring(at + 6, at + 7);
    }

    /** Records in the CDC topic, as the worker's {@code /hub/topics} says. */
    private static long records(ChildWorker worker) throws Exception {
        for (var topic : JSON.readTree(worker.get("/hub/topics").body())) {
            if (topic.path("name").asText().equals(TOPIC)) {
                long n = 0;
                for (var p : topic.path("partitions")) {
                    n += p.path("end_offset").asLong()
                            - p.path("log_start_offset").asLong();
                }
                return n;
            }
        }
        return 0;
    }

    private static void awaitRunning(ChildWorker worker) {
        await("both connectors' tasks RUNNING")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    for (String name : List.of(CDC, "lines")) {
                        var status = JSON.readTree(
                                worker.get("/connectors/" + name + "/status").body());
                        if (!"RUNNING"
                                .equals(status.path("tasks")
                                        .path(0)
                                        .path("state")
                                        .asText())) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private static void post(ChildWorker via, String name, Map<String, String> config) throws Exception {
        var response = via.post("/connectors", JSON.writeValueAsString(Map.of("name", name, "config", config)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static Map<String, String> cdc(TestDatabase db) {
        String suffix = "restart_" + db.database();
        Map<String, String> c =
                CdcConfigs.postgres(db, PREFIX, "public." + WideTable.TABLE, "slot_" + suffix, "pub_" + suffix);
        c.put("tasks.max", "1");
        return c;
    }

    private Map<String, String> sink() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", FileLineSinkConnector.class.getName());
        c.put("topics", TOPIC);
        c.put("tasks.max", "1");
        c.put("file", dir.resolve("out").resolve("lines").toString());
        c.putAll(WideTable.sinkTransforms());
        return c;
    }
}
