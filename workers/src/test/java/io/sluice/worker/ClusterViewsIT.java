package io.sluice.worker;

import static io.sluice.worker.ChildCluster.allTasksRunning;
import static io.sluice.worker.ChildCluster.get;
import static io.sluice.worker.ChildCluster.json;
import static io.sluice.worker.ChildCluster.statuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.worker.testconnectors.CountingSinkConnector;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four worker JVMs on 127.0.0.1 (a static four-peer list), each partition replicated on three of
 * them, so every topic has a worker without a replica of it. A source writes numbers with every
 * tenth value not a number; a sink with a JSON converter dead-letters those ({@code errors.tolerance=all})
 * into its dead-letter topic. Every worker answers {@code /hub/topics}, the topics' records and
 * {@code /connectors/{c}/topics} the same, a reset of a connector's topics on one worker applies on
 * all, and after the worker of the sink task is killed with SIGKILL the dead-letter records are still
 * read, the same, from every survivor. Then two of a topic's three replicas are killed: the workers
 * left still list it, as unavailable with the reason, and a read of its records answers 503.
 */
class ClusterViewsIT {

    private static final int COUNT = 2000;
    private static final int POISON_EVERY = 10;

    @TempDir
    static Path dir;

    private static Path console() {
        return Path.of("target", "ClusterViewsIT-console.txt").toAbsolutePath();
    }

    @Test
    void everyWorkerAnswersTheClustersTopicsAndDeadLettersOutliveTheWorkerThatWroteThem() throws Exception {
        Files.deleteIfExists(console());
        long t0 = System.nanoTime();
        try (ChildCluster cluster = ChildCluster.start(dir, console(), 4)) {
            phase("4 workers joined", t0);
            ChildWorker via = cluster.worker(1);
            post(
                    via,
                    "{\"name\":\"vseq\",\"config\":{\"connector.class\":\"" + SequenceSourceConnector.class.getName()
                            + "\",\"topic\":\"vseq\",\"tasks.max\":\"1\",\"count\":\"" + COUNT
                            + "\",\"batch.size\":\"50\",\"poison.every\":\"" + POISON_EVERY + "\","
                            + "\"key.converter\":\"org.apache.kafka.connect.storage.StringConverter\","
                            + "\"value.converter\":\"org.apache.kafka.connect.storage.StringConverter\"}}");
            post(
                    via,
                    "{\"name\":\"vsink\",\"config\":{\"connector.class\":\"" + CountingSinkConnector.class.getName()
                            + "\",\"topics\":\"vseq\",\"tasks.max\":\"1\","
                            + "\"key.converter\":\"org.apache.kafka.connect.storage.StringConverter\","
                            + "\"value.converter\":\"org.apache.kafka.connect.json.JsonConverter\","
                            + "\"value.converter.schemas.enable\":\"false\","
                            + "\"errors.tolerance\":\"all\",\"errors.deadletterqueue.topic.name\":\"vdlq\","
                            + "\"errors.deadletterqueue.context.headers.enable\":\"true\"}}");
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> allTasksRunning(via, 2));
            int dead = COUNT / POISON_EVERY;
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> endOffset(via, "vseq") == COUNT && endOffset(via, "vdlq") == dead);

            phase("records and dead letters written", t0);
            // every worker lists the same topics, partitions, leaders, replicas and offsets
            List<Integer> all = cluster.alive();
            JsonNode topics = awaitSameAnswer(cluster, all, "/hub/topics", ClusterViewsIT::dataTopics);
            System.out.println("ClusterViewsIT: /hub/topics " + topics);
            Set<String> holders = new HashSet<>();
            for (JsonNode t : topics) {
                for (JsonNode p : t.get("partitions")) {
                    assertThat(p.get("available").asBoolean()).as("%s", p).isTrue();
                    assertThat(p.get("replicas")).hasSize(3);
                    p.get("replicas").forEach(r -> holders.add(t.get("name").asText() + "@" + r.asText()));
                }
            }
            assertThat(names(topics)).containsExactly("vdlq", "vseq");
            // with three replicas on four workers, some worker holds no replica of vseq, and answers all the same
            assertThat(all.stream().filter(n -> !holders.contains("vseq@" + n))).isNotEmpty();

            // records of the data topic, and the dead-letter records, the same from every worker
            JsonNode records =
                    awaitSameAnswer(cluster, all, "/hub/topics/vseq/partitions/0/records?offset=0&limit=1000", r -> r);
            assertThat(records.get("records")).hasSize(1000);
            JsonNode letters =
                    awaitSameAnswer(cluster, all, "/hub/topics/vdlq/partitions/0/records?offset=0&limit=1000", r -> r);
            assertThat(values(letters)).hasSize(dead).allMatch(v -> v.startsWith("poison-"));

            // active topics: the same everywhere, and a reset on one worker applies on all
            for (int n : all) {
                assertThat(json(get(cluster.worker(n), "/connectors/vseq/topics")))
                        .hasToString("{\"vseq\":{\"topics\":[\"vseq\"]}}");
                assertThat(json(get(cluster.worker(n), "/connectors/vsink/topics")))
                        .hasToString("{\"vsink\":{\"topics\":[\"vseq\"]}}");
            }
            HttpResponse<String> reset = cluster.worker(3).put("/connectors/vseq/topics/reset", "");
            assertThat(reset.statusCode()).as(reset.body()).isIn(200, 202, 204);
            awaitSameAnswer(cluster, all, "/connectors/vseq/topics", r -> r);
            for (int n : all) {
                assertThat(json(get(cluster.worker(n), "/connectors/vseq/topics")))
                        .hasToString("{\"vseq\":{\"topics\":[]}}");
            }

            phase("views compared on 4 workers", t0);
            // the worker that wrote the dead letters dies: the survivors still read them, all alike
            int victim = nodeOf(via, "vsink");
            cluster.kill(victim);
            long killed = System.nanoTime();
            List<Integer> survivors = cluster.alive();
            JsonNode after = awaitSameAnswer(
                    cluster, survivors, "/hub/topics/vdlq/partitions/0/records?offset=0&limit=1000", r -> r);
            assertThat(values(after)).isEqualTo(values(letters));
            phase("dead letters read from every survivor after the kill", killed);
            JsonNode topicsAfter = awaitSameAnswer(cluster, survivors, "/hub/topics", ClusterViewsIT::dataTopics);
            System.out.printf(
                    "ClusterViewsIT: killed node %d (sink task); survivors' /hub/topics %s%n", victim, topicsAfter);
            assertThat(names(topicsAfter)).containsExactly("vdlq", "vseq");

            // two of a topic's three replicas gone: every worker left still lists it, saying it cannot be
            // read now and why, and a read of its records answers 503 with the reason
            JsonNode lost = topicsAfter.get(0);
            for (JsonNode t : topicsAfter) {
                if (replicasOf(t).contains(victim)) {
                    lost = t;
                }
            }
            String name = lost.get("name").asText();
            List<Integer> replicasAlive = new ArrayList<>(replicasOf(lost));
            replicasAlive.retainAll(cluster.alive());
            while (replicasAlive.size() > 1) {
                cluster.kill(replicasAlive.remove(0));
            }
            for (int n : cluster.alive()) {
                ChildWorker w = cluster.worker(n);
                JsonNode p = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .until(
                                () -> json(get(w, "/hub/topics/" + name))
                                        .get("partitions")
                                        .get(0),
                                x -> !x.get("available").asBoolean());
                System.out.printf("ClusterViewsIT: node %d on %s with one replica left: %s%n", n, name, p);
                assertThat(p.get("reason").asText()).isNotBlank();
                assertThat(p.get("end_offset").isNull()).isTrue();
                assertThat(names(dataTopics(json(get(w, "/hub/topics"))))).contains(name);
                HttpResponse<String> read = w.get("/hub/topics/" + name + "/partitions/0/records?offset=0&limit=10");
                assertThat(read.statusCode()).as(read.body()).isEqualTo(503);
            }
        }
    }

    private static List<Integer> replicasOf(JsonNode topic) {
        List<Integer> out = new ArrayList<>();
        topic.get("partitions").get(0).get("replicas").forEach(r -> out.add(r.asInt()));
        return out;
    }

    private static void phase(String what, long since) {
        System.out.printf("ClusterViewsIT: %s after %.1f s%n", what, (System.nanoTime() - since) / 1e9);
    }

    /**
     * Waits until every worker of {@code nodes} answers {@code path} alike (after {@code view}) and
     * returns that answer.
     */
    private static JsonNode awaitSameAnswer(
            ChildCluster cluster, List<Integer> nodes, String path, java.util.function.UnaryOperator<JsonNode> view) {
        JsonNode[] agreed = {null};
        Map<Integer, String> last = new TreeMap<>();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300))
                    .ignoreExceptions()
                    .until(() -> {
                        last.clear();
                        JsonNode first = null;
                        boolean same = true;
                        for (int n : nodes) {
                            JsonNode answer = view.apply(json(get(cluster.worker(n), path)));
                            last.put(n, answer.toString());
                            if (first == null) {
                                first = answer;
                            } else if (!first.equals(answer)) {
                                same = false;
                            }
                        }
                        agreed[0] = first;
                        return same;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("workers answer " + path + " differently: " + last, e);
        }
        return agreed[0];
    }

    /** The non-internal topics of a {@code /hub/topics} answer. */
    private static JsonNode dataTopics(JsonNode topics) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        topics.forEach(t -> {
            if (!t.get("name").asText().startsWith("__")) {
                out.add(t);
            }
        });
        return out;
    }

    private static List<String> names(JsonNode topics) {
        List<String> out = new ArrayList<>();
        topics.forEach(t -> out.add(t.get("name").asText()));
        return out;
    }

    private static List<String> values(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("records").forEach(r -> out.add(r.path("value").path("text").asText()));
        return out;
    }

    private static long endOffset(ChildWorker from, String topic) {
        return json(get(from, "/hub/topics/" + topic))
                .get("partitions")
                .get(0)
                .get("end_offset")
                .asLong();
    }

    private static int nodeOf(ChildWorker from, String connector) {
        for (JsonNode c : statuses(from)) {
            JsonNode status = c.path("status");
            if (status.path("name").asText().equals(connector)) {
                String worker = status.path("tasks").get(0).get("worker_id").asText();
                return Integer.parseInt(worker.substring("node-".length()));
            }
        }
        throw new IllegalStateException("no task of " + connector);
    }

    private static void post(ChildWorker to, String json) throws Exception {
        HttpResponse<String> r = to.post("/connectors", json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
}
