package io.sluice.worker;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.worker.testconnectors.FileLineSinkConnector;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay after kill -9: a source ({@code SequenceSource}, one task, about {@value #RATE} records/s of
 * {@value #PAYLOAD} bytes) into a sink writing lines ({@code FileLineSink}, fsync per put), with the
 * default {@code sluice.offset-flush-interval} (5 s) unless {@code replay.interval} says otherwise.
 * On one worker: {@code replay.kills} (default 3) kills mid-stream, each followed by a restart; the
 * repeats are split into the source's (records appended to the log twice) and the sink's (records put
 * twice). In a three-worker cluster: kills alternating between the worker running the source task and
 * the one running the sink task. Every figure is printed as records and as seconds of the sink's rate
 * before the kill. Not part of the suite: {@code bench/run replay}.
 */
class ReplayBench {

    private static final int RATE = 1_000;
    private static final int BATCH = 50;
    private static final int PAYLOAD = 200;
    private static final Duration STREAM = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Path console() {
        return Path.of("target", "ReplayBench-console.txt").toAbsolutePath();
    }

    @Test
    void replayAfterKill() throws Exception {
        Files.deleteIfExists(console());
        int kills = Integer.getInteger("replay.kills", 3);
        String interval = System.getProperty("replay.interval", "5s");
        List<String> report = new ArrayList<>();
        report.add(String.format(
                "## replay after kill -9: source at ~%d records/s, %d kills each, sluice.offset-flush-interval=%s,"
                        + " load %s",
                RATE, kills, interval, load()));
        single(kills, interval, report);
        cluster(kills, interval, report);
        report.add("## load average after: " + load());
        report.forEach(System.out::println);
    }

    private void single(int kills, String interval, List<String> report) throws Exception {
        Path base = Files.createDirectories(dir.resolve("single"));
        Path out = Files.createDirectories(base.resolve("out")).resolve("lines-0");
        Path data = base.resolve("data");
        String classPath = ChildWorker.stableClassPath(base.resolve("classpath"));
        String flush = "--sluice.offset-flush-interval=" + interval;
        ChildWorker worker = ChildWorker.start(classPath, data, console(), flush);
        post(worker, "replay-src", source());
        post(worker, "replay-sink", sink(base));
        List<double[]> perKill = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            double rate = streamAndMeasure(out);
            long repeatsBefore = repeats(out);
            worker.kill();
            worker = ChildWorker.start(classPath, data, console(), flush);
            streamAndMeasure(out);
            perKill.add(new double[] {repeats(out) - repeatsBefore, rate});
        }
        worker.terminate(60);
        long lines = lines(out).size();
        long distinct = new HashSet<>(lines(out)).size();
        long logged;
        long loggedDistinct;
        try (Log log = Log.open(LogOptions.defaults(data))) {
            Set<String> values = new HashSet<>();
            long n = 0;
            for (var partition : log.partitionsOf("replay")) {
                long offset = partition.logStartOffset();
                while (offset < partition.highWatermark()) {
                    var fetched = partition.fetch(offset, 8 << 20);
                    for (var record : fetched.records()) {
                        values.add(new String(record.value(), StandardCharsets.UTF_8));
                        n++;
                    }
                    offset = fetched.nextOffset();
                }
            }
            logged = n;
            loggedDistinct = values.size();
        }
        double meanRate = perKill.stream().mapToDouble(r -> r[1]).average().orElse(1);
        report.add("single worker:");
        for (int k = 0; k < perKill.size(); k++) {
            double[] r = perKill.get(k);
            report.add(String.format(
                    "  kill %d: %6.0f repeated lines = %5.2f s of traffic (sink at %.0f lines/s)",
                    k + 1, r[0], r[0] / r[1], r[1]));
        }
        long sourceRepeats = logged - loggedDistinct;
        long sinkRepeats = (lines - distinct) - sourceRepeats;
        report.add(String.format(
                "  source: %d records appended twice over %d kills = %.2f s of traffic per kill",
                sourceRepeats, kills, sourceRepeats / meanRate / kills));
        report.add(String.format(
                "  sink:   %d records put twice over %d kills = %.2f s of traffic per kill",
                sinkRepeats, kills, sinkRepeats / meanRate / kills));
    }

    private void cluster(int kills, String interval, List<String> report) throws Exception {
        Path base = Files.createDirectories(dir.resolve("cluster"));
        Path out = Files.createDirectories(base.resolve("out")).resolve("lines-0");
        report.add("3-worker cluster:");
        try (ChildCluster cluster =
                ChildCluster.start(base, console(), 3, "--sluice.offset-flush-interval=" + interval)) {
            post(cluster.worker(1), "replay-src", source());
            post(cluster.worker(1), "replay-sink", sink(base));
            for (int k = 0; k < kills; k++) {
                Map<String, Integer> placement = awaitPlacement(cluster);
                String target = k % 2 == 0 ? "replay-src" : "replay-sink";
                int victim = placement.get(target);
                String killed = placement.get("replay-src") == victim && placement.get("replay-sink") == victim
                        ? "source+sink"
                        : target.equals("replay-src") ? "source" : "sink";
                double rate = streamAndMeasure(out);
                long repeatsBefore = repeats(out);
                cluster.kill(victim);
                awaitPlacement(cluster);
                cluster.restart(victim);
                cluster.awaitMembers(3);
                streamAndMeasure(out);
                long repeated = repeats(out) - repeatsBefore;
                report.add(String.format(
                        "  kill %d (node %d, running the %s task): %6d repeated lines = %5.2f s of traffic (sink at"
                                + " %.0f lines/s)",
                        k + 1, victim, killed, repeated, repeated / rate, rate));
            }
        }
    }

    /** The node running each connector's task, once both run. */
    private static Map<String, Integer> awaitPlacement(ChildCluster cluster) {
        Map<String, Integer> out = new LinkedHashMap<>();
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    out.clear();
                    ChildWorker from = cluster.worker(cluster.alive().get(0));
                    for (JsonNode c : ChildCluster.statuses(from)) {
                        JsonNode t = c.path("status").path("tasks").path(0);
                        if (!"RUNNING".equals(t.path("state").asText())) {
                            return false;
                        }
                        int node = Integer.parseInt(t.get("worker_id").asText().substring("node-".length()));
                        if (!cluster.alive().contains(node)) {
                            return false;
                        }
                        out.put(c.path("status").path("name").asText(), node);
                    }
                    return out.size() == 2;
                });
        return out;
    }

    /** Lets the sink write {@link #STREAM} more of traffic; returns its rate in lines/s over the last 2 s. */
    private static double streamAndMeasure(Path out) {
        long target = lineCount(out) + RATE * STREAM.toSeconds();
        ArrayDeque<long[]> samples = new ArrayDeque<>();
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long now = System.nanoTime();
                    long n = lineCount(out);
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

    private static long repeats(Path out) throws Exception {
        List<String> all = lines(out);
        return all.size() - new HashSet<>(all).size();
    }

    private static List<String> lines(Path out) throws Exception {
        return Files.exists(out) ? Files.readAllLines(out, StandardCharsets.UTF_8) : List.of();
    }

    private static long lineCount(Path out) {
        try {
            return WideTable.lineCount(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> source() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", SequenceSourceConnector.class.getName());
        c.put("topic", "replay");
        c.put("tasks.max", "1");
        c.put("count", "-1");
        c.put("batch.size", Integer.toString(BATCH));
        c.put("poll.delay.ms", Integer.toString(1000 * BATCH / RATE));
        c.put("payload.bytes", Integer.toString(PAYLOAD));
        c.put("topic.creation.default.partitions", "3");
        return c;
    }

    private static Map<String, String> sink(Path base) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", FileLineSinkConnector.class.getName());
        c.put("topics", "replay");
        c.put("tasks.max", "1");
        c.put("file", base.resolve("out").resolve("lines").toString());
        return c;
    }

    private static void post(ChildWorker via, String name, Map<String, String> config) throws Exception {
        var response = via.post("/connectors", JSON.writeValueAsString(Map.of("name", name, "config", config)));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST " + name + ": " + response.statusCode() + " " + response.body());
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).substring(0, 14).trim();
        } catch (Exception e) {
            return "?";
        }
    }
}
