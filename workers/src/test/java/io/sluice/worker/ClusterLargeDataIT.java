package io.sluice.worker;

import static io.sluice.worker.ChildCluster.allTasksRunning;
import static io.sluice.worker.ChildCluster.statuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.worker.testconnectors.LargeRecordSinkConnector;
import io.sluice.worker.testconnectors.LargeRecordSourceConnector;
import io.sluice.worker.testconnectors.LargeRecords;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data as large as production's in a cluster of three worker JVMs: a source whose polls are many MiB
 * (records of 2 KB to 4 MiB, as Debezium returns with a backlog of wide rows) reaches a sink whole and
 * in order, through a kill -9 of the source's worker; connector configs just under the REST body
 * limit survive a restart of every worker with SIGTERM and then with SIGKILL, with the changes made
 * around them (created, updated, deleted connectors) neither lost nor reverted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterLargeDataIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code sluice.rest.max-body-size} default: 1MB. */
    private static final int BODY_LIMIT = 1 << 20;

    @TempDir
    static Path dir;

    private static ChildCluster cluster;

    private static Path console() {
        return Path.of("target", "ClusterLargeDataIT-console.txt").toAbsolutePath();
    }

    @BeforeAll
    static void startCluster() throws Exception {
        Files.deleteIfExists(console());
        cluster = ChildCluster.start(dir, console(), 3, "--sluice.cluster.snapshot-every=16");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void pollsOfManyMiBReachTheSinkWholeAndInOrderThroughAKillOfTheSourcesWorker() throws Exception {
        long count = 400; // ~130 MiB of values
        Path out = dir.resolve("large-out.txt");
        ChildWorker via = cluster.worker(1);
        post(
                via,
                "{\"name\":\"large\",\"config\":{\"connector.class\":\"" + LargeRecordSourceConnector.class.getName()
                        + "\",\"topic\":\"large\",\"count\":\"" + count
                        + "\",\"poll.bytes\":\"" + (24 << 20) + "\",\"max.record.bytes\":\"" + (4 << 20) + "\"}}");
        post(
                via,
                "{\"name\":\"largesink\",\"config\":{\"connector.class\":\"" + LargeRecordSinkConnector.class.getName()
                        + "\",\"topics\":\"large\",\"file\":\"" + out + "\"}}");
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> allTasksRunning(via, 2));
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> lines(out).size() >= count / 4);
        String sourceWorker = workerOf(via, "large");
        int victim = Integer.parseInt(sourceWorker.substring("node-".length()));
        int linesAtKill = lines(out).size();
        cluster.kill(victim);
        ChildWorker survivor = cluster.anyExcept(victim);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> allTasksRunning(survivor, 2, sourceWorker));
        cluster.restart(victim);
        cluster.awaitMembers(3);
        await().atMost(Duration.ofSeconds(300))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> new HashSet<>(lines(out)).size() >= count);

        List<String> received = lines(out);
        assertThat(received).as("records that arrived damaged").noneMatch(l -> l.startsWith("BAD"));
        Set<String> expected = new TreeSet<>();
        for (long n = 0; n < count; n++) {
            expected.add(Long.toString(n));
        }
        assertThat(new TreeSet<>(received)).isEqualTo(expected);
        long nextNew = 0;
        for (String line : received) {
            long n = Long.parseLong(line);
            if (n == nextNew) {
                nextNew++;
            } else {
                assertThat(n)
                        .as("record %d arrives out of order (expected %d or a repeat)", n, nextNew)
                        .isLessThan(nextNew);
            }
        }
        for (JsonNode c : statuses(cluster.worker(victim))) {
            for (JsonNode t : c.path("status").path("tasks")) {
                assertThat(t.get("state").asText()).as(t.toString()).isEqualTo("RUNNING");
            }
        }
        long bytes = 0;
        for (long n = 0; n < count; n++) {
            bytes += LargeRecords.size(n, 4 << 20);
        }
        System.out.printf(
                "ClusterLargeDataIT: %d records, %.1f MiB of values; source worker node %d killed at %d sink lines;"
                        + " %d lines received, %d repeats%n",
                count, bytes / 1048576.0, victim, linesAtKill, received.size(), received.size() - count);
        ChildWorker live = cluster.worker(victim); // the restarted worker (via may be the killed one)
        delete(live, "largesink");
        delete(live, "large");
    }

    @Test
    @Order(2)
    void configsJustUnderTheBodyLimitSurviveCleanAndKilledRestartsOfEveryWorker() throws Exception {
        ChildWorker via = cluster.worker(2);
        Map<String, String> big1 = config("big1", BODY_LIMIT - 200, 'a');
        assertThat(body("big1", big1).getBytes(StandardCharsets.UTF_8).length)
                .isBetween(BODY_LIMIT - 1000, BODY_LIMIT - 1);
        post(via, body("big1", big1));
        Map<String, String> smallA = config("small-a", 0, 'b');
        post(via, body("small-a", smallA));
        Map<String, String> smallB = config("small-b", 0, 'c');
        post(via, body("small-b", smallB));
        delete(via, "small-a");
        Map<String, String> big1v2 = config("big1", BODY_LIMIT - 300, 'd');
        put(cluster.worker(3), "big1", big1v2);
        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        expected.put("big1", big1v2);
        expected.put("small-b", smallB);
        awaitConfigs(expected, "before the restarts");

        cluster.stopAll();
        cluster.restartAll();
        awaitConfigs(expected, "after every worker was stopped with SIGTERM");

        Map<String, String> big2 = config("big2", BODY_LIMIT - 200, 'e');
        post(cluster.worker(1), body("big2", big2));
        delete(cluster.worker(1), "small-b");
        expected.remove("small-b");
        expected.put("big2", big2);
        awaitConfigs(expected, "before the kill");

        cluster.killAll();
        cluster.restartAll();
        awaitConfigs(expected, "after every worker was killed with SIGKILL");
    }

    /**
     * A config of a connector that idles (a sequence source of 0 records) with a {@code notes} value
     * that makes its POST body {@code bodyBytes} long (none when 0); the text mixes characters JSON
     * must escape and non-ASCII ones.
     */
    private static Map<String, String> config(String name, int bodyBytes, char flavour) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", SequenceSourceConnector.class.getName());
        c.put("topic", "idle-" + name);
        c.put("count", "0");
        if (bodyBytes > 0) {
            c.put("notes", "");
            int room = bodyBytes - body(name, c).getBytes(StandardCharsets.UTF_8).length;
            StringBuilder notes = new StringBuilder();
            String unit = flavour + "\"\\é\t" + flavour + flavour; // 7 chars, 11 bytes in a JSON body
            int unitBytes = JSON.writeValueAsString(unit).getBytes(StandardCharsets.UTF_8).length - 2;
            while (room >= unitBytes) {
                notes.append(unit);
                room -= unitBytes;
            }
            notes.append("x".repeat(room));
            c.put("notes", notes.toString());
        }
        return c;
    }

    private static String body(String name, Map<String, String> config) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        body.set("config", JSON.valueToTree(config));
        return JSON.writeValueAsString(body);
    }

    private static void awaitConfigs(Map<String, Map<String, String>> expected, String when) {
        for (int node : cluster.alive()) {
            ChildWorker w = cluster.worker(node);
            await(when + ": connectors on node " + node)
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> names(w), names -> names.equals(new TreeSet<>(expected.keySet())));
            for (Map.Entry<String, Map<String, String>> e : expected.entrySet()) {
                Map<String, String> stored = new LinkedHashMap<>();
                JsonNode config = ChildCluster.json(ChildCluster.get(w, "/connectors/" + e.getKey() + "/config"));
                config.fields()
                        .forEachRemaining(
                                f -> stored.put(f.getKey(), f.getValue().asText()));
                stored.remove("name");
                assertThat(stored)
                        .as("%s: config of %s on node %d", when, e.getKey(), node)
                        .isEqualTo(e.getValue());
            }
        }
    }

    private static Set<String> names(ChildWorker w) {
        Set<String> names = new TreeSet<>();
        ChildCluster.json(ChildCluster.get(w, "/connectors")).forEach(n -> names.add(n.asText()));
        return names;
    }

    private static void post(ChildWorker via, String body) throws IOException {
        var response = via.post("/connectors", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static void put(ChildWorker via, String name, Map<String, String> config) throws IOException {
        var response = via.put("/connectors/" + name + "/config", JSON.writeValueAsString(config));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void delete(ChildWorker via, String name) throws IOException {
        var response = via.delete("/connectors/" + name);
        assertThat(response.statusCode()).as(response.body()).isIn(200, 204);
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
        return end < 0
                ? List.of()
                : new ArrayList<>(List.of(text.substring(0, end).split("\n")));
    }
}
