package io.sluice.worker;

import static io.sluice.worker.ChildCluster.allTasksRunning;
import static io.sluice.worker.ChildCluster.get;
import static io.sluice.worker.ChildCluster.json;
import static io.sluice.worker.ChildCluster.leader;
import static io.sluice.worker.ChildCluster.workers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three worker JVMs on 127.0.0.1 form one hub from a static peer list; workers are killed with
 * SIGKILL. Tasks of a killed worker must end up RUNNING on the survivors, a killed metadata leader
 * must be replaced while REST and config changes keep working, every config must survive the whole
 * cluster going down, a worker using a member's node id at another address must be refused with a
 * clear message, and a seed peer list that differs from the cluster's members only warns. (Records continuing across a failover need the replicated log; these connectors write to
 * each worker's local log.) The metadata group snapshots every 16 entries here, so restarts go
 * through its snapshots and purged Raft logs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int TASKS = 5;

    @TempDir
    static Path dir;

    private static ChildCluster cluster;

    private static Path console() {
        return Path.of("target", "ClusterIT-console.txt").toAbsolutePath();
    }

    @BeforeAll
    static void startCluster() throws Exception {
        Files.deleteIfExists(console());
        // frequent snapshots, so restarts load one and a returning worker may be sent one
        cluster = ChildCluster.start(dir, console(), 3, "--sluice.cluster.snapshot-every=16");
        create(cluster.worker(1), "seq-a", 3);
        create(cluster.worker(2), "seq-b", 2);
        awaitRunning(cluster.worker(3), TASKS);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String createBody(String name, int tasks) {
        return "{\"name\":\"" + name + "\",\"config\":{\"connector.class\":\""
                + SequenceSourceConnector.class.getName() + "\",\"topic\":\"" + name + "\",\"tasks.max\":\"" + tasks
                + "\",\"batch.size\":\"10\",\"poll.delay.ms\":\"50\"}}";
    }

    private static void create(ChildWorker via, String name, int tasks) throws IOException {
        var response = via.post("/connectors", createBody(name, tasks));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static void awaitRunning(ChildWorker from, int tasks, String... notOn) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> allTasksRunning(from, tasks, notOn));
    }

    /** A worker that runs at least one task and is not the metadata leader (or is, if {@code leader}). */
    private static int victim(boolean wantLeader) {
        int leader = leader(cluster.worker(cluster.alive().get(0))).orElseThrow();
        if (wantLeader) {
            return leader;
        }
        for (JsonNode w : workers(cluster.worker(leader))) {
            int node = w.get("node_id").asInt();
            if (node != leader && w.get("tasks").asInt() > 0) {
                return node;
            }
        }
        throw new IllegalStateException("no non-leader worker runs a task");
    }

    @Test
    @Order(1)
    void tasksOfAKilledWorkerRunOnTheSurvivorsAndItTakesSomeBackWhenItReturns() throws Exception {
        int victim = victim(false);
        cluster.kill(victim);
        ChildWorker survivor = cluster.anyExcept(victim);

        awaitRunning(survivor, TASKS, "node-" + victim);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> state(survivor, victim).equals("DEAD"));

        cluster.restart(victim);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            JsonNode w = worker(survivor, victim);
            return w.get("state").asText().equals("RUNNING") && w.get("tasks").asInt() > 0;
        });
        awaitRunning(cluster.worker(victim), TASKS);
    }

    @Test
    @Order(2)
    void killingTheMetadataLeaderElectsAnotherAndConfigChangesKeepWorking() throws Exception {
        int oldLeader = victim(true);
        cluster.kill(oldLeader);
        ChildWorker a = cluster.anyExcept(oldLeader);

        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> leader(a).filter(l -> l != oldLeader).isPresent());
        int newLeader = leader(a).orElseThrow();
        ChildWorker follower = cluster.anyExcept(oldLeader, newLeader);
        assertThat(json(get(follower, "/connectors"))).hasSize(2);
        awaitRunning(follower, TASKS, "node-" + oldLeader);

        // written through a follower: forwarded to the new leader
        create(follower, "seq-c", 1);
        assertThat(follower.put("/connectors/seq-a/pause", "").statusCode()).isEqualTo(202);
        ChildWorker other = cluster.worker(newLeader);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            JsonNode s = json(get(other, "/connectors/seq-a/status"));
            return s.get("connector").get("state").asText().equals("PAUSED")
                    && s.get("tasks").size() == 3
                    && allState(s, "PAUSED");
        });
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            JsonNode s = json(get(other, "/connectors/seq-c/status"));
            return s.get("tasks").size() == 1 && allState(s, "RUNNING");
        });
        // a restart asked of one worker restarts the tasks wherever they run
        assertThat(follower.post("/connectors/seq-b/restart?includeTasks=true", "")
                        .statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            JsonNode s = json(get(other, "/connectors/seq-b/status"));
            for (JsonNode t : s.get("tasks")) {
                if (!t.path("restarts").toString().contains("restart requested")) {
                    return false;
                }
            }
            return s.get("tasks").size() == 2 && allState(s, "RUNNING");
        });
        assertThat(follower.put("/connectors/seq-a/resume", "").statusCode()).isEqualTo(202);
        assertThat(follower.delete("/connectors/seq-c").statusCode()).isEqualTo(204);
        awaitRunning(other, TASKS, "node-" + oldLeader);

        cluster.restart(oldLeader);
        cluster.awaitMembers(3);
    }

    @Test
    @Order(3)
    void everyConnectorTaskOffsetAndRecordSurvivesTheWholeClusterGoingDown() throws Exception {
        ChildWorker any = cluster.worker(cluster.alive().get(0));
        Map<String, JsonNode> before = configs(any);
        assertThat(before).containsKeys("seq-a config", "seq-a tasks", "seq-b config", "seq-b tasks");
        // stopped connectors commit their last offsets; records and offsets then stay as they are
        for (String name : List.of("seq-a", "seq-b")) {
            assertThat(any.put("/connectors/" + name + "/stop", "").statusCode())
                    .isEqualTo(204);
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> stopped(any, "seq-a") && stopped(any, "seq-b"));
        // STOPPED with no tasks is written when the stop is; the task threads then drain what their
        // tasks have ready (up to SourceTaskRunner.DRAIN_MS) and commit: wait until nothing moves
        AtomicReference<Map<String, List<String>>> settled = new AtomicReference<>(records(any));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(3_000))
                .ignoreExceptions()
                .until(() -> settled.getAndSet(records(any)).equals(settled.get()));
        Map<String, JsonNode> offsetsBefore = offsets(any);
        Map<String, List<String>> recordsBefore = records(any);
        assertThat(recordsBefore.get("seq-a")).isNotEmpty();
        assertThat(offsetsBefore.get("seq-a").get("offsets")).isNotEmpty();

        await().atMost(Duration.ofSeconds(30)).until(() -> snapshots(cluster.dataDir(1)) > 0);

        cluster.killAll();
        for (int n = 1; n <= 3; n++) {
            cluster.launch(n);
        }
        for (int n = 1; n <= 3; n++) {
            cluster.worker(n).awaitReady();
        }
        cluster.awaitMembers(3);
        // a restarted worker serves a replicated topic once it has reopened its replica of it (until
        // then the topic is unknown to it): wait for that, then nothing may differ
        for (int n = 1; n <= 3; n++) {
            ChildWorker w = cluster.worker(n);
            int node = n;
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        assertThat(offsets(w))
                                .as("source offsets on node %d", node)
                                .isEqualTo(offsetsBefore);
                        assertThat(records(w)).as("records on node %d", node).isEqualTo(recordsBefore);
                    });
        }

        ChildWorker restarted = cluster.worker(1); // the workers are new processes now
        for (String name : List.of("seq-a", "seq-b")) {
            assertThat(restarted.put("/connectors/" + name + "/resume", "").statusCode())
                    .isEqualTo(202);
        }
        awaitRunning(cluster.worker(2), TASKS);
        for (int n = 1; n <= 3; n++) {
            assertThat(configs(cluster.worker(n))).as("configs on node %d", n).isEqualTo(before);
        }
        // the sources resume from their stored offsets: new records follow, none repeated
        int countBefore = recordsBefore.get("seq-a").size();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> records(cluster.worker(2)).get("seq-a").size() > countBefore + 20);
        List<String> after = records(cluster.worker(2)).get("seq-a");
        assertThat(after.subList(0, countBefore)).isEqualTo(recordsBefore.get("seq-a"));
        // (earlier tests' kills left at-least-once repeats before this point; none may follow it)
        List<String> fresh = after.subList(countBefore, after.size());
        assertThat(fresh)
                .as("records after the restart repeat none before it")
                .doesNotContainAnyElementsOf(recordsBefore.get("seq-a"));
        assertThat(new java.util.HashSet<>(fresh))
                .as("no record produced twice")
                .hasSize(fresh.size());
    }

    private static boolean stopped(ChildWorker from, String connector) {
        JsonNode status = json(get(from, "/connectors/" + connector + "/status"));
        return status.get("connector").get("state").asText().equals("STOPPED")
                && status.get("tasks").isEmpty();
    }

    /** {@code GET /connectors/{name}/offsets} of every connector. */
    private static Map<String, JsonNode> offsets(ChildWorker from) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode name : json(get(from, "/connectors"))) {
            out.put(name.asText(), json(get(from, "/connectors/" + name.asText() + "/offsets")));
        }
        return out;
    }

    /** Every record value of each connector's topic (partition 0), as {@code from} serves them. */
    private static Map<String, List<String>> records(ChildWorker from) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String topic : List.of("seq-a", "seq-b")) {
            List<String> values = new java.util.ArrayList<>();
            long offset = 0;
            while (true) {
                JsonNode page =
                        json(get(from, "/hub/topics/" + topic + "/partitions/0/records?limit=1000&offset=" + offset));
                for (JsonNode r : page.get("records")) {
                    values.add(r.get("value").get("text").asText());
                }
                long next = page.get("next_offset").asLong();
                if (next <= offset || page.get("records").isEmpty()) {
                    break;
                }
                offset = next;
            }
            out.put(topic, values);
        }
        return out;
    }

    @Test
    @Order(4)
    void aWorkerWithAnUnknownNodeIdIsRefusedWithAClearMessage() throws Exception {
        ChildWorker stranger = ChildWorker.launch(
                ChildWorker.stableClassPath(dir.resolve("classpath-stranger")),
                dir.resolve("data-stranger"),
                console(),
                "--sluice.cluster.node-id=7",
                "--sluice.cluster.peers=" + cluster.peers());
        try {
            assertThat(stranger.awaitExit(120)).isNotZero();
        } finally {
            stranger.close();
        }
        assertThat(Files.readString(console())).contains("node 7 is not in sluice.cluster.peers");
    }

    @Test
    @Order(5)
    void aWorkerWhosePeerListDiffersStaysWithAWarningButOneUsingAMembersNodeIdIsRefused() throws Exception {
        cluster.kill(3);
        // a new worker (a data directory of its own) calling itself node 3 on another port: node 3 is a
        // member at another address, so it is refused with a message naming both
        String theirs = cluster.peers().split(",")[2];
        String mine = "3@127.0.0.1:" + ChildWorker.freePort();
        ChildWorker wrong = ChildWorker.launch(
                ChildWorker.stableClassPath(dir.resolve("classpath-wrong")),
                dir.resolve("data-wrong"),
                console(),
                "--sluice.cluster.node-id=3",
                "--sluice.cluster.peers=" + cluster.peers().replace(theirs, mine),
                "--sluice.worker-id=node-3-wrong");
        try {
            assertThat(wrong.awaitExit(120)).isEqualTo(78);
        } finally {
            wrong.close();
        }
        assertThat(Files.readString(console()))
                .contains("Node 3 cannot join the cluster: node id 3 is the member at "
                        + theirs.substring(theirs.indexOf('@') + 1) + ", but this worker is at "
                        + mine.substring(mine.indexOf('@') + 1));

        // the real node 3 restarted with a seed list that leaves node 2 out: the cluster's stored
        // members win, a warning names both lists, and the worker stays a member
        String[] entries = cluster.peers().split(",");
        String differing = entries[0] + "," + entries[2];
        ChildWorker three = cluster.launch(3, "--sluice.cluster.peers=" + differing);
        three.awaitReady();
        cluster.awaitMembers(3);
        assertThat(three.isAlive()).isTrue();
        assertThat(Files.readString(console()))
                .contains("sluice.cluster.peers (" + differing + ") differs from the cluster's members ("
                        + cluster.peers() + ")");
        assertThat(state(cluster.worker(1), 3)).isEqualTo("RUNNING");
    }

    @Test
    @Order(6)
    void aWorkerThatCannotReachAMajorityStopsItsTasks() throws Exception {
        int last = 1;
        awaitRunning(cluster.worker(last), TASKS);
        assertThat(worker(cluster.worker(last), last).get("tasks").asInt()).isPositive();
        assertThat(cluster.worker(last).threadNames()).anyMatch(n -> n.startsWith("task-seq-"));
        cluster.kill(2);
        cluster.kill(3);
        ChildWorker alone = cluster.worker(last);

        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> state(alone, last).equals("DISCONNECTED"));
        // what it last knew of the others is not shown as the truth
        assertThat(state(alone, 2)).isEqualTo("UNKNOWN");
        assertThat(state(alone, 3)).isEqualTo("UNKNOWN");
        // its task threads end (a task's thread is named task-<connector>-<n> while it runs)
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> alone.threadNames().stream().noneMatch(n -> n.startsWith("task-seq-")));
        assertThat(Files.readString(console())).contains("membership lost, stopping this worker's tasks");

        // a change asked of the minority fails with 503 and is never applied, not even once the majority is back
        long asked = System.nanoTime();
        var refused = alone.post("/connectors", createBody("seq-minority", 1));
        long tookMillis = (System.nanoTime() - asked) / 1_000_000;
        System.out.printf(
                "ClusterIT: a write without a majority was answered %d in %d ms: %s%n",
                refused.statusCode(), tookMillis, refused.body());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.body()).contains("no quorum");
        assertThat(tookMillis).as("answered long before the 30 s write timeout").isLessThan(15_000);
        cluster.restart(2);
        cluster.restart(3);
        cluster.awaitMembers(3);
        // a change made now is committed after anything the minority's log may still hold
        create(cluster.worker(2), "seq-majority", 1);
        for (int n = 1; n <= 3; n++) {
            ChildWorker w = cluster.worker(n);
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> json(get(w, "/connectors")).toString().contains("seq-majority"));
            assertThat(json(get(w, "/connectors")).toString())
                    .as("connectors on node %d", n)
                    .doesNotContain("seq-minority");
        }
    }

    /** The metadata group's folder name in the Raft storage (its group id, a name-based UUID). */
    private static final String METADATA_GROUP = java.util
            .UUID
            .nameUUIDFromBytes("sluice-metadata".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .toString();

    /** Metadata-group snapshot files in a worker's data directory. */
    private static long snapshots(Path dataDir) throws IOException {
        try (var files = Files.walk(dataDir.resolve("replication/raft/" + METADATA_GROUP))) {
            return files.filter(f -> f.getFileName().toString().matches("snapshot\\.\\d+_\\d+"))
                    .count();
        }
    }

    private static boolean allState(JsonNode status, String state) {
        for (JsonNode t : status.get("tasks")) {
            if (!t.get("state").asText().equals(state)) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode worker(ChildWorker from, int node) {
        for (JsonNode w : workers(from)) {
            if (w.get("node_id").asInt() == node) {
                return w;
            }
        }
        throw new IllegalStateException("node " + node + " not listed");
    }

    private static String state(ChildWorker from, int node) {
        return worker(from, node).get("state").asText();
    }

    /** Every connector's config and task configs as {@code from} serves them. */
    private static Map<String, JsonNode> configs(ChildWorker from) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode name : json(get(from, "/connectors"))) {
            String n = name.asText();
            out.put(n + " config", json(get(from, "/connectors/" + n + "/config")));
            out.put(n + " tasks", json(get(from, "/connectors/" + n + "/tasks")));
        }
        return out;
    }
}
