package io.sluice.worker;

import static io.sluice.worker.ChildCluster.allTasksRunning;
import static io.sluice.worker.ChildCluster.get;
import static io.sluice.worker.ChildCluster.json;
import static io.sluice.worker.ChildCluster.statuses;
import static io.sluice.worker.ChildCluster.workers;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster grows and shrinks while a pipeline runs (worker JVMs on 127.0.0.1, kill -9 for real):
 * three workers run a source of 4 tasks and a sink of 3 over a replicated topic; workers 4 and 5 join
 * with {@code sluice.cluster.join} without any restart of 1–3 and take tasks; 4 is killed and started
 * again on its data directory (it rejoins without {@code join}); 5 is killed and removed with
 * {@code DELETE /hub/workers/5}; then live worker 4 is removed and stops its tasks. The sink ends up
 * with every record, every worker shows the same statuses, and workers 1–3 never restarted.
 */
class ElasticClusterIT {

    private static final int SOURCE_TASKS = 4;
    private static final int SINK_TASKS = 3;
    private static final int TASKS = SOURCE_TASKS + SINK_TASKS;
    private static final long PER_TASK = 3000;

    @TempDir
    static Path dir;

    private static Path console() {
        return Path.of("target", "ElasticClusterIT-console.txt").toAbsolutePath();
    }

    @Test
    void workersJoinAndAreRemovedWhileThePipelineRunsWithoutLosingARecordOrRestartingAnyone() throws Exception {
        Files.deleteIfExists(console());
        Path out = dir.resolve("out");
        try (ChildCluster cluster = ChildCluster.start(dir, console(), 3)) {
            ChildWorker via = cluster.worker(1);
            post(
                    via,
                    "{\"name\":\"eseq\",\"config\":{\"connector.class\":\"" + SequenceSourceConnector.class.getName()
                            + "\",\"topic\":\"eseq\",\"tasks.max\":\"" + SOURCE_TASKS + "\",\"count\":\"" + PER_TASK
                            + "\",\"batch.size\":\"5\",\"poll.delay.ms\":\"100\",\"payload.bytes\":\"2000\","
                            + "\"topic.creation.default.partitions\":\"3\"}}");
            post(
                    via,
                    "{\"name\":\"esink\",\"config\":{\"connector.class\":\"" + FileLineSinkConnector.class.getName()
                            + "\",\"topics\":\"eseq\",\"tasks.max\":\"" + SINK_TASKS + "\",\"file\":\"" + out + "\"}}");
            awaitAllRunning(cluster, List.of(1, 2, 3));
            Map<Integer, Long> pids = new TreeMap<>();
            for (int n = 1; n <= 3; n++) {
                pids.put(n, cluster.worker(n).pid());
            }

            // grow: 4 and 5 join, no one else restarts
            long joinStarted = System.nanoTime();
            cluster.join(4);
            cluster.join(5);
            cluster.awaitMembers(5);
            for (int n : List.of(4, 5)) {
                await().atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions()
                        .until(() -> runsTasks(via, "node-" + n));
            }
            long joinMillis = (System.nanoTime() - joinStarted) / 1_000_000;
            awaitAllRunning(cluster, List.of(1, 2, 3, 4, 5));
            assertPidsUnchanged(cluster, pids);
            // the joiners get a share of the existing partitions' replicas, each partition keeping 3
            await().atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> {
                        Map<String, Set<Integer>> all = replicas(via, null);
                        Set<Integer> holders = new HashSet<>();
                        all.values().forEach(holders::addAll);
                        return replicas(via, "eseq").size() == 3
                                && all.values().stream().allMatch(r -> r.size() == 3)
                                && holders.containsAll(List.of(4, 5));
                    });

            // a restarted member rejoins from its data directory, without sluice.cluster.join
            cluster.kill(4);
            awaitAllRunning(cluster, List.of(1, 2, 3, 5), "node-4");
            long restarted = System.nanoTime();
            cluster.restart(4);
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions()
                    .until(() -> "RUNNING".equals(worker(via, 4).path("state").asText()));
            long rejoinMillis = (System.nanoTime() - restarted) / 1_000_000;
            cluster.awaitMembers(5);

            // shrink: dead 5 is removed from another worker, its tasks move at once
            cluster.kill(5);
            var removed = cluster.worker(2).delete("/hub/workers/5");
            assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
            awaitAllRunning(cluster, List.of(1, 2, 3, 4), "node-5");
            for (int n : List.of(1, 2, 3, 4)) {
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions()
                        .until(() -> !nodes(cluster.worker(n)).contains(5));
            }
            var unknown = cluster.worker(3).delete("/hub/workers/5");
            assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
            assertThat(unknown.body()).contains("\"error_code\":404").contains("not a member");

            // live 4 is removed: it stops its tasks, the others run them
            ChildWorker four = cluster.worker(4);
            var removedLive = cluster.worker(1).delete("/hub/workers/4");
            assertThat(removedLive.statusCode()).as(removedLive.body()).isEqualTo(200);
            awaitAllRunning(cluster, List.of(1, 2, 3), "node-4", "node-5");
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> four.threadNames().stream()
                            .noneMatch(t -> t.startsWith("task-eseq-") || t.startsWith("task-esink-")));
            assertThat(four.isAlive()).isTrue();
            for (int n : List.of(1, 2, 3)) {
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions()
                        .until(() -> !nodes(cluster.worker(n)).contains(4));
            }

            // every partition is back to 3 replicas, all on the remaining members
            await().atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> {
                        Map<String, Set<Integer>> all = replicas(via, null);
                        return replicas(via, "eseq").size() == 3
                                && all.values().stream().allMatch(r -> r.equals(Set.of(1, 2, 3)));
                    });

            // nothing lost
            Set<String> expected = new HashSet<>();
            String pad = "x".repeat(2000);
            for (int t = 0; t < SOURCE_TASKS; t++) {
                for (long n = 0; n < PER_TASK; n++) {
                    expected.add("t" + t + "-v" + n + pad);
                }
            }
            await().atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> distinctLines(out).size() >= expected.size());
            assertThat(distinctLines(out)).isEqualTo(expected);
            assertPidsUnchanged(cluster, pids);
            assertThat(Files.readString(console())).contains("no longer a member");
            System.out.printf(
                    "ElasticClusterIT: workers 4 and 5 joined and ran tasks %d ms after the first was started;"
                            + " restarted worker 4 was RUNNING again after %d ms; %d records, load average %s%n",
                    joinMillis,
                    rejoinMillis,
                    expected.size(),
                    Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    private static void post(ChildWorker via, String body) throws IOException {
        var response = via.post("/connectors", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** Every task RUNNING on every one of {@code nodes}, none on {@code notOn}, and all of them agreeing. */
    private static void awaitAllRunning(ChildCluster cluster, List<Integer> nodes, String... notOn) {
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    Map<String, String> first = null;
                    for (int n : nodes) {
                        if (!allTasksRunning(cluster.worker(n), TASKS, notOn)) {
                            return false;
                        }
                        Map<String, String> seen = placements(cluster.worker(n));
                        if (first != null && !first.equals(seen)) {
                            return false;
                        }
                        first = seen;
                    }
                    return true;
                });
    }

    /** connector/task → worker id, as {@code from} reports it. */
    private static Map<String, String> placements(ChildWorker from) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode c : statuses(from)) {
            String name = c.path("status").path("name").asText();
            for (JsonNode t : c.path("status").path("tasks")) {
                out.put(name + "/" + t.get("id").asInt(), t.get("worker_id").asText());
            }
        }
        return out;
    }

    private static boolean runsTasks(ChildWorker from, String workerId) {
        return placements(from).containsValue(workerId) && allTasksRunning(from, TASKS);
    }

    private static JsonNode worker(ChildWorker from, int node) {
        for (JsonNode w : workers(from)) {
            if (w.get("node_id").asInt() == node) {
                return w;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /**
     * "topic-partition" → node ids of its replicas, as {@code /hub/replication} on {@code from} reports
     * them, for {@code topic} (null: every replicated topic).
     */
    private static Map<String, Set<Integer>> replicas(ChildWorker from, String topic) {
        Map<String, Set<Integer>> out = new TreeMap<>();
        for (JsonNode p : json(get(from, "/hub/replication"))) {
            if (topic == null || topic.equals(p.path("topic").asText())) {
                Set<Integer> ids = new HashSet<>();
                p.path("replicas")
                        .forEach(r -> ids.add(Integer.parseInt(r.path("node_id").asText())));
                out.put(p.path("topic").asText() + "-" + p.path("partition").asText(), ids);
            }
        }
        return out;
    }

    private static Set<Integer> nodes(ChildWorker from) {
        Set<Integer> out = new HashSet<>();
        for (JsonNode w : workers(from)) {
            out.add(w.get("node_id").asInt());
        }
        return out;
    }

    private static void assertPidsUnchanged(ChildCluster cluster, Map<Integer, Long> pids) {
        pids.forEach((n, pid) -> {
            assertThat(cluster.worker(n).isAlive()).as("worker %d alive", n).isTrue();
            assertThat(cluster.worker(n).pid()).as("worker %d not restarted", n).isEqualTo(pid);
        });
    }

    private static Set<String> distinctLines(Path out) throws IOException {
        Set<String> lines = new HashSet<>();
        for (int t = 0; t < SINK_TASKS; t++) {
            Path file = Path.of(out + "-" + t);
            if (!Files.exists(file)) {
                continue;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end > 0) {
                lines.addAll(List.of(text.substring(0, end).split("\n")));
            }
        }
        return lines;
    }
}
