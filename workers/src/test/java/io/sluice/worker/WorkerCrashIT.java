package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.worker.testconnectors.FileLineSinkConnector;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker in a child JVM is killed with SIGKILL mid-stream, three times, and restarted on the same
 * data directory each time: the sink's output (fsynced per put) must end up with every source record.
 * Records repeat after each kill, at most about one offset-flush interval's worth on each side.
 * The child's log output must never contain a secret of the connectors.
 */
class WorkerCrashIT {

    private static final int TASKS = 2;
    private static final int PER_TASK = 100_000;
    private static final int KILLS = 3;
    private static final int LINES_PER_RUN = 15_000;
    private static final int BATCH = 50;
    private static final int POLL_DELAY_MS = 20;
    private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);
    private static final String PASSWORD = "s3cr3t-value";
    private static final String ENV_SECRET = "env-s3cr3t-from-the-environment";

    @TempDir
    Path dir;

    private Path output() {
        return dir.resolve("out").resolve("lines-0");
    }

    /** The children's stdout and stderr, kept in target/ for a look after a failure. */
    private static Path console() {
        return Path.of("target", "WorkerCrashIT-console.txt").toAbsolutePath();
    }

    private String classPath;

    /**
     * The test class path with its build directories copied, so a concurrent build rewriting
     * target/classes cannot change what a restarted child loads.
     */
    private String stableClassPath() throws IOException {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.isDirectory(source)) {
                out.add(entry);
                continue;
            }
            Path copy = dir.resolve("classpath").resolve(Integer.toString(i++));
            try (var files = Files.walk(source)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            out.add(copy.toString());
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    private void writeConnectors() throws IOException {
        Path connectors = Files.createDirectories(dir.resolve("connectors"));
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(
                connectors.resolve("crash-src.properties"),
                String.join(
                        "\n",
                        "connector.class=" + SequenceSourceConnector.class.getName(),
                        "topic=crash",
                        "tasks.max=" + TASKS,
                        "count=" + PER_TASK,
                        "batch.size=" + BATCH,
                        "poll.delay.ms=" + POLL_DELAY_MS,
                        "topic.creation.default.partitions=2"));
        Files.writeString(
                connectors.resolve("crash-sink.properties"),
                String.join(
                        "\n",
                        "connector.class=" + FileLineSinkConnector.class.getName(),
                        "topics=crash",
                        "tasks.max=1",
                        "file=" + dir.resolve("out").resolve("lines"),
                        "api.password=" + PASSWORD));
        Files.writeString(
                connectors.resolve("env-sink.properties"),
                String.join(
                        "\n",
                        "connector.class=" + FileLineSinkConnector.class.getName(),
                        "topics=crash-env",
                        "tasks.max=1",
                        "file=" + dir.resolve("out").resolve("env"),
                        "api.password=${env:SLUICE_TEST_SECRET}"));
    }

    private Process startChild() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                classPath,
                SluiceApplication.class.getName(),
                "--sluice.data-dir=" + dir.resolve("data"),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--sluice.plugin-path=" + dir.resolve("no-plugins"),
                "--sluice.offset-flush-interval=" + FLUSH_INTERVAL.toMillis() + "ms",
                "--sluice.connect.config.providers=env",
                "--sluice.connect.config.providers.env.class="
                        + "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                "--sluice.test.connectors-dir=" + dir.resolve("connectors"));
        builder.environment().put("SLUICE_TEST_SECRET", ENV_SECRET);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(console().toFile()));
        return builder.start();
    }

    private int readyCount() throws IOException {
        if (!Files.exists(console())) {
            return 0;
        }
        return (int) Files.readAllLines(console(), StandardCharsets.UTF_8).stream()
                .filter(StartupConnectors.READY::equals)
                .count();
    }

    /**
     * Lets the child stream until the sink has written {@code LINES_PER_RUN} more lines, kills it with
     * SIGKILL and returns the sink's rate in lines per second over the last second before the kill.
     */
    private double streamThenKill(Process child) throws Exception {
        int atStart = lineCount();
        ArrayDeque<long[]> samples = new ArrayDeque<>();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    long now = System.nanoTime();
                    int n = lineCount();
                    samples.addLast(new long[] {now, n});
                    while (samples.size() > 2 && now - samples.peekFirst()[0] > 1_000_000_000L) {
                        samples.removeFirst();
                    }
                    return n - atStart >= LINES_PER_RUN;
                });
        child.toHandle().destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed, not exited").isEqualTo(137);
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        return (last[1] - first[1]) / ((last[0] - first[0]) / 1e9);
    }

    private int lineCount() throws IOException {
        if (!Files.exists(output())) {
            return 0;
        }
        int n = 0;
        for (byte b : Files.readAllBytes(output())) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    private List<String> lines() throws IOException {
        if (!Files.exists(output())) {
            return List.of();
        }
        List<String> all = Files.readAllLines(output(), StandardCharsets.UTF_8);
        return all;
    }

    private static Set<String> expected() {
        Set<String> out = new HashSet<>();
        for (int t = 0; t < TASKS; t++) {
            for (int n = 0; n < PER_TASK; n++) {
                out.add("t" + t + "-v" + n);
            }
        }
        return out;
    }

    @Test
    void shouldLoseNoRecordWhenTheWorkerIsKilledMidStream() throws Exception {
        Files.deleteIfExists(console());
        classPath = stableClassPath();
        writeConnectors();
        int total = TASKS * PER_TASK;
        List<String> report = new ArrayList<>();
        List<Double> ratesAtKill = new ArrayList<>();
        List<Integer> duplicatesAfterKill = new ArrayList<>();
        int duplicatesBefore = 0;
        for (int run = 0; run <= KILLS; run++) {
            Process child = startChild();
            try {
                int expectedReady = run + 1;
                await().atMost(Duration.ofSeconds(60)).until(() -> readyCount() == expectedReady);
                if (run == KILLS) {
                    await().atMost(Duration.ofSeconds(180))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> new HashSet<>(lines()).size() >= total);
                } else {
                    ratesAtKill.add(streamThenKill(child));
                }
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            List<String> got = lines();
            int distinct = new HashSet<>(got).size();
            int duplicates = got.size() - distinct;
            if (run > 0) {
                duplicatesAfterKill.add(duplicates - duplicatesBefore);
            }
            duplicatesBefore = duplicates;
            if (run < KILLS) {
                assertThat(distinct).as("kill %d came mid-stream", run + 1).isLessThan(total);
                report.add(String.format(
                        "kill %d at %d distinct records, sink writing %.0f records/s",
                        run + 1, distinct, ratesAtKill.get(run)));
            }
        }

        List<String> got = lines();
        Set<String> distinct = new HashSet<>(got);
        assertThat(distinct).as("every source record reached the sink").isEqualTo(expected());
        long logged;
        try (Log log = Log.open(LogOptions.defaults(dir.resolve("data")))) {
            logged = log.partitionsOf("crash").stream()
                    .mapToLong(p -> p.highWatermark() - p.logStartOffset())
                    .sum();
        }
        report.add(String.format(
                "%d lines for %d records: %d duplicates over %d kills; %d repeated by the source (appended to the"
                        + " log again), %d repeated by the sink (put again)",
                got.size(), total, got.size() - total, KILLS, logged - total, got.size() - logged));
        for (int k = 0; k < KILLS; k++) {
            double window = duplicatesAfterKill.get(k) / ratesAtKill.get(k);
            report.add(String.format(
                    "kill %d: %d duplicates = %.2f s of the sink's rate before the kill (flush interval %d ms)",
                    k + 1, duplicatesAfterKill.get(k), window, FLUSH_INTERVAL.toMillis()));
        }
        report.forEach(line -> System.out.println("[WorkerCrashIT] " + line));
        for (int k = 0; k < KILLS; k++) {
            // source and sink each repeat at most what they did since their last commit, one interval
            assertThat(duplicatesAfterKill.get(k) / ratesAtKill.get(k))
                    .as("duplicate window of kill %d in seconds", k + 1)
                    .isLessThan(3.0 * FLUSH_INTERVAL.toMillis() / 1000);
        }

        String console = Files.readString(console(), StandardCharsets.UTF_8);
        assertThat(console).contains("Started SluiceApplication");
        assertThat(console).doesNotContain(PASSWORD).doesNotContain(ENV_SECRET);
    }
}
