package io.sluice.worker;

import static io.sluice.worker.ChildCluster.allTasksRunning;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.testconnectors.FileLineSinkConnector;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four worker JVMs on 127.0.0.1 (a static 4-peer list): a pipeline's topic partition sits on three of
 * them; it is moved over REST to include the fourth while ~2 KB records flow, then the new placement's
 * first worker is killed with SIGKILL. The sink gets every record, {@code /hub/replication} reports
 * the new three replicas, and the worker that left holds none of the partition's records any more.
 */
class ReplicaMoveIT {

    private static final long COUNT = 3000;
    private static final String TOPIC = "moved";

    @TempDir
    static Path dir;

    @Test
    void movingAPartitionToANewWorkerWhileRecordsFlowLosesNothingAndDropsTheOldReplica() throws Exception {
        Path console = Path.of("target", "ReplicaMoveIT-console.txt").toAbsolutePath();
        Files.deleteIfExists(console);
        Path out = dir.resolve("out");
        try (ChildCluster cluster = ChildCluster.start(dir, console, 4)) {
            ChildWorker via = cluster.worker(1);
            post(
                    via,
                    "/connectors",
                    "{\"name\":\"mseq\",\"config\":{\"connector.class\":\"" + SequenceSourceConnector.class.getName()
                            + "\",\"topic\":\"" + TOPIC + "\",\"tasks.max\":\"1\",\"count\":\"" + COUNT
                            + "\",\"batch.size\":\"10\",\"poll.delay.ms\":\"40\",\"payload.bytes\":\"2000\"}}",
                    201);
            post(
                    via,
                    "/connectors",
                    "{\"name\":\"msink\",\"config\":{\"connector.class\":\"" + FileLineSinkConnector.class.getName()
                            + "\",\"topics\":\"" + TOPIC + "\",\"tasks.max\":\"1\",\"file\":\"" + out + "\"}}",
                    201);
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> allTasksRunning(via, 2));
            Path file = Path.of(out + "-0");
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> lines(file).size() >= COUNT / 5);

            List<Integer> before = replicas(via);
            assertThat(before).hasSize(3);
            int newcomer = Stream.of(1, 2, 3, 4)
                    .filter(n -> !before.contains(n))
                    .findFirst()
                    .orElseThrow();
            int leaving = before.get(0); // the preferred leader leaves: leadership must move first
            List<Integer> target = new ArrayList<>(List.of(newcomer));
            before.stream().filter(n -> n != leaving).forEach(target::add);

            var bad = via.post("/hub/topics/" + TOPIC + "/partitions/0/reassign", "{\"replicas\":[1,2,9]}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("\"error_code\":400").contains("replica 9");

            int linesAtMove = lines(file).size();
            post(via, "/hub/topics/" + TOPIC + "/partitions/0/reassign", "{\"replicas\":" + target + "}", 202);
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> new HashSet<>(replicas(via)).equals(new HashSet<>(target)) && !reassigning(via));
            long moveMillis = (System.nanoTime() - started) / 1_000_000;
            int linesAfterMove = lines(file).size();

            cluster.kill(target.get(0));
            ChildWorker survivor = cluster.worker(target.get(1));
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> new HashSet<>(lines(file)).size() >= COUNT);

            Set<String> expected = new HashSet<>();
            for (long n = 0; n < COUNT; n++) {
                expected.add("t0-v" + n);
            }
            assertThat(new HashSet<>(lines(file))).isEqualTo(expected);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> new HashSet<>(replicas(survivor)).equals(new HashSet<>(target)));
            Path oldPartition = cluster.dataDir(leaving)
                    .resolve("replication")
                    .resolve("log")
                    .resolve(TOPIC)
                    .resolve("0");
            assertThat(bytesIn(oldPartition))
                    .as("bytes of %s-0 left on worker %d after it left", TOPIC, leaving)
                    .isLessThan(64 << 10);
            System.out.printf(
                    "ReplicaMoveIT: %s-0 moved from %s to %s in %d ms at %d sink lines (%d after), worker %d killed;"
                            + " %d records, %d lines%n",
                    TOPIC,
                    before,
                    target,
                    moveMillis,
                    linesAtMove,
                    linesAfterMove,
                    target.get(0),
                    COUNT,
                    lines(file).size());
        }
    }

    /** The worker ids holding the topic's partition 0 as {@code /hub/replication} on {@code from} says. */
    private static List<Integer> replicas(ChildWorker from) {
        for (JsonNode p : ChildCluster.json(ChildCluster.get(from, "/hub/replication"))) {
            if (p.get("topic").asText().equals(TOPIC) && p.get("partition").asInt() == 0) {
                List<Integer> ids = new ArrayList<>();
                p.get("replicas").forEach(r -> ids.add(r.get("node_id").asInt()));
                return ids;
            }
        }
        return List.of();
    }

    private static boolean reassigning(ChildWorker from) {
        for (JsonNode p : ChildCluster.json(ChildCluster.get(from, "/hub/replication"))) {
            if (p.get("topic").asText().equals(TOPIC) && p.has("reassigning")) {
                return true;
            }
        }
        return false;
    }

    private static long bytesIn(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    private static void post(ChildWorker via, String path, String body, int status) throws IOException {
        var response = via.post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        // values are padded with 'x' to ~2 KB: the sequence number is what identifies a record
        return end < 0
                ? List.of()
                : Stream.of(text.substring(0, end).split("\n"))
                        .map(l -> l.replaceAll("x+$", ""))
                        .toList();
    }
}
