package io.sluice.worker;

import static io.sluice.worker.ChildCluster.allTasksRunning;
import static io.sluice.worker.ChildCluster.statuses;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source and a sink in a cluster of three worker JVMs on 127.0.0.1, their topic replicated over the
 * workers: the worker running the source is killed with SIGKILL mid-stream, the tasks run on the
 * survivors; it comes back, then the worker running the sink is killed. The sink's output holds every
 * record the source produced, in order per key (partition); duplicates (replays after the failovers,
 * bounded by the offset commit interval) are counted and printed.
 */
class ReplicatedPipelineIT {

    private static final long COUNT = 6000;

    @TempDir
    static Path dir;

    private static Path console() {
        return Path.of("target", "ReplicatedPipelineIT-console.txt").toAbsolutePath();
    }

    @Test
    void killingTheWorkerOfTheSourceMidStreamLosesNoRecord() throws Exception {
        Files.deleteIfExists(console());
        Path out = dir.resolve("out");
        try (ChildCluster cluster = ChildCluster.start(dir, console(), 3)) {
            ChildWorker via = cluster.worker(1);
            post(
                    via,
                    "{\"name\":\"rseq\",\"config\":{\"connector.class\":\"" + SequenceSourceConnector.class.getName()
                            + "\",\"topic\":\"rseq\",\"tasks.max\":\"1\",\"count\":\"" + COUNT
                            + "\",\"batch.size\":\"10\",\"poll.delay.ms\":\"50\"}}");
            post(
                    via,
                    "{\"name\":\"rsink\",\"config\":{\"connector.class\":\"" + FileLineSinkConnector.class.getName()
                            + "\",\"topics\":\"rseq\",\"tasks.max\":\"1\",\"file\":\"" + out + "\"}}");
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> allTasksRunning(via, 2));
            Path file = Path.of(out + "-0");
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> lines(file).size() >= COUNT / 4);

            // /hub/replication: the topic's partition on all three workers, with a leader
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        // other replicated topics (the audit topic) are listed too
                        for (JsonNode p : ChildCluster.json(ChildCluster.get(via, "/hub/replication"))) {
                            if (p.get("topic").asText().equals("rseq")) {
                                return p.get("replicas").size() == 3
                                        && !p.get("leader").isNull();
                            }
                        }
                        return false;
                    });
            System.out.println("ReplicatedPipelineIT: /hub/replication " + ChildCluster.get(via, "/hub/replication"));

            String sourceWorker = workerOf(via, "rseq");
            int victim = Integer.parseInt(sourceWorker.substring("node-".length()));
            boolean sinkThere = workerOf(via, "rsink").equals(sourceWorker);
            int linesAtKill = lines(file).size();
            cluster.kill(victim);
            ChildWorker survivor = cluster.anyExcept(victim);

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> allTasksRunning(survivor, 2, sourceWorker));

            // the victim returns; then the worker running the sink is killed once half the records are
            // out: the sink resumes from its committed offset on a survivor, not from the log start
            cluster.restart(victim);
            cluster.awaitMembers(3);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> lines(file).size() >= COUNT / 2);
            String sinkWorker = workerOf(cluster.worker(victim), "rsink");
            int sinkVictim = Integer.parseInt(sinkWorker.substring("node-".length()));
            int linesAtSecondKill = lines(file).size();
            cluster.kill(sinkVictim);
            ChildWorker other = cluster.anyExcept(sinkVictim);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> allTasksRunning(other, 2, sinkWorker));
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> new HashSet<>(lines(file)).size() >= COUNT);

            List<String> received = lines(file);
            Set<String> expected = new HashSet<>();
            for (long n = 0; n < COUNT; n++) {
                expected.add("t0-v" + n);
            }
            assertThat(new HashSet<>(received)).isEqualTo(expected);
            // per key (one partition), first deliveries in sequence order
            Map<Long, Long> lastPerKey = new HashMap<>();
            Set<String> seen = new HashSet<>();
            for (String line : received) {
                if (seen.add(line)) {
                    long n = Long.parseLong(line.substring("t0-v".length()));
                    Long before = lastPerKey.put(n % 10, n);
                    assertThat(before == null || before < n)
                            .as("%s delivered after %s of the same key", n, before)
                            .isTrue();
                }
            }
            System.out.printf(
                    "ReplicatedPipelineIT: killed node %d (source%s) at %d sink lines, then node %d (sink) at %d;"
                            + " %d records, %d lines, %d duplicates%n",
                    victim,
                    sinkThere ? " and sink" : "",
                    linesAtKill,
                    sinkVictim,
                    linesAtSecondKill,
                    COUNT,
                    received.size(),
                    received.size() - COUNT);
            // a sink that started over from the log start would repeat every line it had written
            assertThat(received.size() - COUNT).isLessThan(COUNT / 4);
        }
    }

    /**
     * Four workers, a topic of four partitions on three replicas each (rotated, so each worker lacks
     * exactly one partition), and one sink task reading all four: wherever the task runs, one of its
     * partitions has no replica on its worker and is read from that partition's leader.
     */
    @Test
    void aSinkOnAWorkerWithoutAReplicaReadsThePartitionFromItsLeader() throws Exception {
        Path console =
                Path.of("target", "ReplicatedPipelineIT-remote-console.txt").toAbsolutePath();
        Files.deleteIfExists(console);
        Path remoteDir = dir.resolve("remote");
        Path out = remoteDir.resolve("out");
        Files.createDirectories(remoteDir);
        long count = 2000;
        try (ChildCluster cluster = ChildCluster.start(remoteDir, console, 4)) {
            ChildWorker via = cluster.worker(2);
            post(
                    via,
                    "{\"name\":\"wide\",\"config\":{\"connector.class\":\"" + SequenceSourceConnector.class.getName()
                            + "\",\"topic\":\"wide\",\"tasks.max\":\"1\",\"count\":\"" + count
                            + "\",\"batch.size\":\"20\",\"poll.delay.ms\":\"10\","
                            + "\"topic.creation.default.partitions\":\"4\","
                            + "\"topic.creation.default.replication.factor\":\"3\"}}");
            post(
                    via,
                    "{\"name\":\"widesink\",\"config\":{\"connector.class\":\"" + FileLineSinkConnector.class.getName()
                            + "\",\"topics\":\"wide\",\"tasks.max\":\"1\",\"file\":\"" + out + "\"}}");
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> allTasksRunning(via, 2));
            Path file = Path.of(out + "-0");
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> new HashSet<>(lines(file)).size() >= count);

            Set<String> expected = new HashSet<>();
            for (long n = 0; n < count; n++) {
                expected.add("t0-v" + n);
            }
            assertThat(new HashSet<>(lines(file))).isEqualTo(expected);
            // the sink's worker holds no replica of (at least) one of the four partitions it read
            int sinkNode = Integer.parseInt(workerOf(via, "widesink").substring("node-".length()));
            JsonNode replication = ChildCluster.json(ChildCluster.get(via, "/hub/replication"));
            List<Integer> remote = new java.util.ArrayList<>();
            for (JsonNode p : replication) {
                if (!p.get("topic").asText().equals("wide")) {
                    continue;
                }
                boolean local = false;
                for (JsonNode r : p.get("replicas")) {
                    local |= r.get("node_id").asInt() == sinkNode;
                }
                if (!local) {
                    remote.add(p.get("partition").asInt());
                }
            }
            System.out.printf(
                    "ReplicatedPipelineIT: sink on node %d read partitions %s of wide from their leaders; %d records%n",
                    sinkNode, remote, count);
            assertThat(remote)
                    .as("partitions of wide without a replica on node %d", sinkNode)
                    .hasSize(1);
        }
    }

    private static void post(ChildWorker via, String body) throws IOException {
        var response = via.post("/connectors", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** The worker id running task 0 of {@code connector}. */
    private static String workerOf(ChildWorker from, String connector) {
        for (JsonNode c : statuses(from)) {
            if (c.path("status").path("name").asText().equals(connector)) {
                return c.path("status").path("tasks").get(0).get("worker_id").asText();
            }
        }
        throw new IllegalStateException("no status for " + connector);
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }
}
