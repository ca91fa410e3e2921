package io.sluice.worker;

import static io.sluice.worker.ChildCluster.allTasksRunning;
import static io.sluice.worker.ChildCluster.json;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: {@code chaos.kills} (default 30) kill -9s of a random worker of a 3-worker cluster, each
 * restarted 5–10 s after its kill, while a writer appends ~2 KB lines to a file at a steady rate
 * that Kafka's FileStreamSource carries through the hub's log to Kafka's FileStreamSink, beside a
 * three-task source that keeps every worker busy. Prints, per kill, the failover time (kill → every
 * task RUNNING away from the victim, first on one survivor and then on every survivor) and the rejoin
 * time (restart → the worker is a RUNNING member on every worker), and at the end the lines lost,
 * duplicated and out of order in the sink file, and how often the live workers' status answers
 * agreed when sampled every second. Not part of the suite: {@code bench/run chaos [kills] [lines/s]}.
 */
class ChaosBench {

    private static final int TASKS = 5; // file source 1 + file sink 1 + sequence source 3
    private static final int LINE_BYTES = 2048;

    @TempDir
    Path dir;

    private final Map<Integer, Integer> ports = new ConcurrentSkipListMap<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void randomKillsUnderSteadyFileTraffic() throws Exception {
        int kills = Integer.getInteger("chaos.kills", 30);
        int rate = Integer.getInteger("chaos.rate", 100);
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        Path files = Files.createDirectories(dir.resolve("files"));
        Path in = files.resolve("in.txt");
        Path out = files.resolve("out.txt");
        Files.createFile(in);
        Path console = Path.of("target", "ChaosBench-console.txt").toAbsolutePath();
        Files.deleteIfExists(console);
        System.out.printf("## chaos: %d kills, %d lines/s of %d bytes, seed %d%n", kills, rate, LINE_BYTES, seed);
        try (ChildCluster cluster =
                ChildCluster.start(dir, console, 3, "--sluice.file-connectors.allowed-paths=" + files)) {
            cluster.alive().forEach(n -> ports.put(n, cluster.worker(n).port()));
            ChildWorker first = cluster.worker(1);
            post(
                    first,
                    "chaos-src",
                    Map.of(
                            "connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector",
                            "file", in.toString(),
                            "topic", "chaos-lines"));
            post(
                    first,
                    "chaos-sink",
                    Map.of(
                            "connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector",
                            "file", out.toString(),
                            "topics", "chaos-lines"));
            post(
                    first,
                    "chaos-seq",
                    Map.of(
                            "connector.class", SequenceSourceConnector.class.getName(),
                            "topic", "chaos-seq",
                            "tasks.max", "3",
                            "batch.size", "10",
                            "poll.delay.ms", "50"));
            await().atMost(Duration.ofMinutes(3)).ignoreExceptions().until(() -> allTasksRunning(first, TASKS));

            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> write(in, rate, writing, written), "chaos-writer");
            writer.start();
            StatusSampler sampler = new StatusSampler();
            Thread sampling = new Thread(sampler, "chaos-sampler");
            sampling.setDaemon(true);
            sampling.start();

            List<Long> failoverOne = new ArrayList<>();
            List<Long> failoverAll = new ArrayList<>();
            List<Long> rejoin = new ArrayList<>();
            List<Long> restApiUp = new ArrayList<>();
            for (int k = 1; k <= kills; k++) {
                List<Integer> alive = cluster.alive();
                int victim = alive.get(random.nextInt(alive.size()));
                String gone = "node-" + victim;
                boolean wasLeader = victim == sampler.lastLeader;
                long killedAt = System.nanoTime();
                ports.remove(victim);
                cluster.kill(victim);
                long one = -1;
                long all;
                while (true) {
                    boolean everywhere = true;
                    for (int n : cluster.alive()) {
                        boolean running;
                        try {
                            running = allTasksRunning(cluster.worker(n), TASKS, gone);
                        } catch (RuntimeException e) {
                            running = false;
                        }
                        if (running && one < 0) {
                            one = millisSince(killedAt);
                        }
                        everywhere &= running;
                    }
                    if (everywhere) {
                        all = millisSince(killedAt);
                        break;
                    }
                    if (millisSince(killedAt) > 180_000) {
                        throw new IllegalStateException("tasks of node " + victim + " not RUNNING elsewhere in 3 min");
                    }
                    Thread.sleep(20);
                }
                failoverOne.add(one);
                failoverAll.add(all);
                long down = 5_000 + random.nextInt(5_001);
                long left = down - millisSince(killedAt);
                if (left > 0) {
                    Thread.sleep(left);
                }
                long startedAt = System.nanoTime();
                ChildWorker back = cluster.launch(victim);
                back.awaitReady();
                long ready = millisSince(startedAt);
                restApiUp.add(ready);
                ports.put(victim, back.port());
                cluster.awaitMembers(3);
                long joined = millisSince(startedAt);
                rejoin.add(joined);
                System.out.printf(
                        "kill %2d: node %d%s, failover %5d ms (one survivor) %5d ms (every survivor), down %5d ms,"
                                + " rejoin %5d ms, lines written %d, load %s%n",
                        k,
                        victim,
                        wasLeader ? " (metadata leader)" : "",
                        one,
                        all,
                        down,
                        joined,
                        written.get(),
                        FailoverBench.load());
            }
            writing.set(false);
            writer.join();
            long total = written.get();
            // the sink has caught up once the file has stopped growing for 30 s with every line there, or 3 min passed
            long settled = System.nanoTime();
            long lastSize = -1;
            long stableSince = System.nanoTime();
            while (millisSince(settled) < 180_000) {
                long size = Files.exists(out) ? Files.size(out) : 0;
                if (size != lastSize) {
                    lastSize = size;
                    stableSince = System.nanoTime();
                } else if (millisSince(stableSince) > 30_000
                        || (size >= total * (LINE_BYTES + 1L) && millisSince(stableSince) > 5_000)) {
                    break;
                }
                Thread.sleep(500);
            }
            sampler.stop = true;
            report(total, out, failoverOne, failoverAll, rejoin, restApiUp, sampler);
        }
    }

    private void report(
            long total,
            Path out,
            List<Long> failoverOne,
            List<Long> failoverAll,
            List<Long> rejoin,
            List<Long> restApiUp,
            StatusSampler sampler)
            throws IOException {
        Set<Long> seen = new HashSet<>();
        long lines = 0;
        long duplicates = 0;
        long reordered = 0;
        long highest = -1;
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.isEmpty()) {
                continue;
            }
            long n = Long.parseLong(line.substring(0, 10));
            lines++;
            if (!seen.add(n)) {
                duplicates++;
            } else if (n < highest) {
                reordered++;
            }
            highest = Math.max(highest, n);
        }
        long lost = 0;
        for (long n = 0; n < total; n++) {
            lost += seen.contains(n) ? 0 : 1;
        }
        System.out.printf(
                "## lines: written %d, in the sink %d, distinct %d, lost %d, duplicated %d (%.2f %%),"
                        + " new lines out of order %d%n",
                total, lines, seen.size(), lost, duplicates, 100.0 * duplicates / Math.max(1, total), reordered);
        System.out.println(summary("failover, one survivor   ", failoverOne));
        System.out.println(summary("failover, every survivor ", failoverAll));
        System.out.println(summary("rejoin (start -> member) ", rejoin));
        System.out.println(summary("start -> REST API up     ", restApiUp));
        System.out.printf(
                "## status sampled every second on every live worker: %d samples, %d agreed (%.1f %%),"
                        + " longest disagreement %d s, samples with a task not RUNNING %d%n",
                sampler.samples,
                sampler.agreed,
                100.0 * sampler.agreed / Math.max(1, sampler.samples),
                sampler.longestDisagreement,
                sampler.notRunning);
        System.out.println("## load average at the end: " + FailoverBench.load());
    }

    /** Samples {@code GET /connectors?expand=status} on every live worker once a second. */
    private final class StatusSampler implements Runnable {
        volatile boolean stop;
        volatile int lastLeader = -1;
        long samples;
        long agreed;
        long notRunning;
        long longestDisagreement;
        final Map<String, Long> notRunningStates = new TreeMap<>();

        @Override
        public void run() {
            long streak = 0;
            while (!stop) {
                long started = System.nanoTime();
                List<Map<String, String>> views = new ArrayList<>();
                boolean allRunning = true;
                for (Map.Entry<Integer, Integer> w : ports.entrySet()) {
                    try {
                        Map<String, String> view = view(w.getValue());
                        views.add(view);
                        for (String state : view.values()) {
                            if (!state.startsWith("RUNNING")) {
                                allRunning = false;
                                notRunningStates.merge(state.substring(0, state.indexOf('@')), 1L, Long::sum);
                            }
                        }
                        leader(w.getValue());
                    } catch (IOException | RuntimeException e) {
                        views.add(Map.of("unanswered", e.getClass().getSimpleName()));
                        allRunning = false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                samples++;
                boolean same = views.stream().distinct().count() == 1;
                if (same) {
                    agreed++;
                    streak = 0;
                } else {
                    streak++;
                    longestDisagreement = Math.max(longestDisagreement, streak);
                }
                notRunning += allRunning ? 0 : 1;
                long rest = 1000 - millisSince(started);
                if (rest > 0) {
                    try {
                        Thread.sleep(rest);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        private Map<String, String> view(int port) throws IOException, InterruptedException {
            Map<String, String> view = new TreeMap<>();
            for (JsonNode c : json(get(port, "/connectors?expand=status"))) {
                for (JsonNode t : c.path("status").path("tasks")) {
                    view.put(
                            c.path("status").path("name").asText() + "/"
                                    + t.get("id").asInt(),
                            t.get("state").asText() + "@" + t.get("worker_id").asText());
                }
            }
            return view;
        }

        private void leader(int port) throws IOException, InterruptedException {
            for (JsonNode w : json(get(port, "/hub/workers"))) {
                if (w.path("metadata_leader").asBoolean(false)) {
                    lastLeader = w.get("node_id").asInt();
                }
            }
        }
    }

    private String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " -> " + r.statusCode());
        }
        return r.body();
    }

    private static void post(ChildWorker to, String name, Map<String, String> config) throws IOException {
        StringBuilder json = new StringBuilder("{\"name\":\"" + name + "\",\"config\":{");
        String sep = "";
        for (Map.Entry<String, String> e : config.entrySet()) {
            json.append(sep)
                    .append('"')
                    .append(e.getKey())
                    .append("\":\"")
                    .append(e.getValue())
                    .append('"');
            sep = ",";
        }
        HttpResponse<String> r = to.post("/connectors", json.append("}}").toString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("create " + name + " -> " + r.statusCode() + " " + r.body());
        }
    }

    /** Appends numbered lines of {@link #LINE_BYTES} bytes at {@code rate} per second, flushed each tick. */
    private static void write(Path in, int rate, AtomicBoolean writing, AtomicLong written) {
        String padding = "x".repeat(LINE_BYTES - 11);
        try (BufferedWriter w = Files.newBufferedWriter(in, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            long start = System.nanoTime();
            while (writing.get()) {
                long due = millisSince(start) * rate / 1000;
                while (written.get() < due) {
                    w.write(String.format("%010d %s%n", written.get(), padding));
                    written.incrementAndGet();
                }
                w.flush();
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String summary(String label, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1
                ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2.0;
        return String.format(
                "## %s: median %.2f s, min %.2f s, max %.2f s over %d kills",
                label, median / 1000, sorted.get(0) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0, sorted.size());
    }
}
