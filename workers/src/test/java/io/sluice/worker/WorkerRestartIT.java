package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real worker process, stopped with SIGTERM and killed with SIGKILL, restarted on the same data
 * directory: connector configs up to the REST body limit come back exactly (the config topic then
 * holds batches over 1 MiB); a topic of multi-MiB records (batches of 4 to 8 MiB, single records of a
 * few MiB) stays online and whole; and a closed segment damaged on disk shows as a damaged range in
 * {@code /hub/topics} and {@code /actuator/health}, the records before it stay readable, and the
 * documented repair call drops exactly that range.
 */
class WorkerRestartIT {

    /** The REST body limit ({@code sluice.rest.max-body-size}, 1 MB by default). */
    private static final int BODY_LIMIT = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String classPath;
    private Path console;

    private ChildWorker start() throws IOException {
        return ChildWorker.start(classPath, dir.resolve("data"), console, "--sluice.offset-flush-interval=1s");
    }

    private void setUp(String name) throws IOException {
        console = Path.of("target", "WorkerRestartIT-" + name + "-console.txt").toAbsolutePath();
        Files.deleteIfExists(console);
        classPath = ChildWorker.stableClassPath(dir.resolve("classpath"));
    }

    private static Map<String, String> sequence(String topic, long count, int payloadBytes, int batch) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", SequenceSourceConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topic", topic);
        config.put("count", Long.toString(count));
        config.put("payload.bytes", Integer.toString(payloadBytes));
        config.put("batch.size", Integer.toString(batch));
        config.put("topic.creation.default.segment.bytes", Integer.toString(8 << 20));
        return config;
    }

    private static String body(String name, Map<String, String> config) throws IOException {
        return JSON.writeValueAsString(Map.of("name", name, "config", config));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void shouldBringBackExactlyTheConnectorsAndConfigsAfterSigtermAndSigkill() throws Exception {
        setUp("connectors");
        Map<String, String> big = sequence("cfg-big", 0, 0, 1);
        String empty = body("big", big);
        // pad one setting so that the request body is just under the limit
        big.put("padding", "p".repeat(BODY_LIMIT - empty.length() - 64));
        String bigBody = body("big", big);
        assertThat(bigBody.length()).isBetween(BODY_LIMIT - 200, BODY_LIMIT - 1);
        Map<String, String> small = sequence("cfg-small", 0, 0, 1);
        Map<String, Map<String, String>> expected = new TreeMap<>();

        ChildWorker worker = start();
        try {
            assertThat(worker.post("/connectors", bigBody).statusCode()).isEqualTo(201);
            expected.put("big", big);
            assertThat(worker.post("/connectors", body("small", small)).statusCode())
                    .isEqualTo(201);
            assertThat(worker.post("/connectors", body("gone", sequence("cfg-gone", 0, 0, 1)))
                            .statusCode())
                    .isEqualTo(201);
            assertThat(worker.delete("/connectors/gone").statusCode()).isEqualTo(204);
            small.put("poll.delay.ms", "7");
            assertThat(worker.put("/connectors/small/config", JSON.writeValueAsString(small))
                            .statusCode())
                    .isEqualTo(200);
            expected.put("small", Map.copyOf(small));
            assertConnectors(worker, expected, "before any restart");
        } finally {
            worker.close(); // SIGTERM
        }
        worker = start();
        try {
            assertConnectors(worker, expected, "after SIGTERM");
            Map<String, String> third = sequence("cfg-third", 0, 0, 1);
            third.put("padding", "q".repeat(300_000));
            assertThat(worker.post("/connectors", body("third", third)).statusCode())
                    .isEqualTo(201);
            expected.put("third", third);
            small.put("poll.delay.ms", "9");
            assertThat(worker.put("/connectors/small/config", JSON.writeValueAsString(small))
                            .statusCode())
                    .isEqualTo(200);
            expected.put("small", Map.copyOf(small));
            assertConnectors(worker, expected, "before the kill");
            worker.kill();
        } finally {
            worker.close();
        }
        try (ChildWorker last = start()) {
            assertConnectors(last, expected, "after SIGKILL");
            assertTopicOnline(last, "__sluice_configs");
        }
    }

    private static void assertConnectors(ChildWorker worker, Map<String, Map<String, String>> expected, String when)
            throws IOException {
        JsonNode names = json(worker.get("/connectors"));
        Set<String> listed = new HashSet<>();
        names.forEach(n -> listed.add(n.asText()));
        assertThat(listed).as(when + ": connectors").isEqualTo(expected.keySet());
        for (Map.Entry<String, Map<String, String>> e : expected.entrySet()) {
            HttpResponse<String> response = worker.get("/connectors/" + e.getKey() + "/config");
            assertThat(response.statusCode()).as(when).isEqualTo(200);
            Map<String, String> config = new TreeMap<>();
            json(response)
                    .fields()
                    .forEachRemaining(f -> config.put(f.getKey(), f.getValue().asText()));
            config.remove("name");
            assertThat(config).as(when + ": config of " + e.getKey()).isEqualTo(new TreeMap<>(e.getValue()));
        }
    }

    @Test
    void shouldKeepATopicOfMultiMebibyteRecordsWholeAcrossSigtermAndSigkillAndRepairADamagedSegment() throws Exception {
        setUp("big-records");
        ChildWorker worker = start();
        // batches of about 7.5 MiB (three 2.5 MiB records) and single 4 MiB records
        worker.post("/connectors", body("batches", sequence("big", 12, 5 << 19, 3)));
        worker.post("/connectors", body("singles", sequence("big", 4, 4 << 20, 1)));
        ChildWorker w = worker;
        await().atMost(Duration.ofMinutes(2)).until(() -> endOffset(w, "big") >= 16);
        assertAllReadable(worker, 0, 16);
        worker.close(); // SIGTERM

        worker = start();
        assertTopicOnline(worker, "big");
        assertThat(endOffset(worker, "big")).isEqualTo(16);
        assertAllReadable(worker, 0, 16);
        // keep appending 3 MiB records and kill mid-stream
        worker.post("/connectors", body("more", sequence("big", 40, 3 << 20, 2)));
        ChildWorker w2 = worker;
        await().atMost(Duration.ofMinutes(2)).until(() -> endOffset(w2, "big") >= 24);
        worker.kill();

        worker = start();
        assertTopicOnline(worker, "big");
        long end = endOffset(worker, "big");
        assertThat(end).isGreaterThanOrEqualTo(24);
        assertAllReadable(worker, 0, end);
        String healthBody = worker.get("/actuator/health").body();
        assertThat(JSON.readTree(healthBody)
                        .get("components")
                        .get("log")
                        .get("status")
                        .asText())
                .as(healthBody)
                .isEqualTo("UP");
        assertThat(worker.put("/connectors/more/stop", "").statusCode()).isEqualTo(204);
        worker.close();

        // damage the last batch of a closed segment of the stopped worker
        Path partitionDir = dir.resolve("data").resolve("big").resolve("0");
        List<Path> segments;
        try (Stream<Path> files = Files.list(partitionDir)) {
            segments = files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .toList();
        }
        assertThat(segments).hasSizeGreaterThanOrEqualTo(3);
        Path damaged = segments.get(1);
        long nextBase = Long.parseLong(segments.get(2).getFileName().toString().substring(0, 20));
        long size = Files.size(damaged);
        try (RandomAccessFile raf = new RandomAccessFile(damaged.toFile(), "rw")) {
            for (long at = size - 4096; at < size - 4000; at++) {
                raf.seek(at);
                int b = raf.read();
                raf.seek(at);
                raf.write(b ^ 0xff);
            }
        }

        try (ChildWorker last = start()) {
            JsonNode partition = partition(last, "big");
            assertThat(partition.get("state").asText()).isEqualTo("DAMAGED");
            assertThat(partition.get("size_bytes").asLong()).isGreaterThan(24L << 20);
            JsonNode range = partition.get("damage").get(0);
            assertThat(range.get("file").asText()).isEqualTo(damaged.toString());
            assertThat(range.get("to_offset").asLong()).isEqualTo(nextBase);
            assertThat(range.get("reason").asText()).contains("CRC");
            long from = range.get("from_offset").asLong();

            HttpResponse<String> health = last.get("/actuator/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
            JsonNode log = json(health).get("components").get("log");
            assertThat(log.get("status").asText()).isEqualTo("OUT_OF_SERVICE");
            assertThat(log.get("details").get("damagedPartitions").has("big-0")).isTrue();

            assertAllReadable(last, 0, from);
            HttpResponse<String> atHole = last.get("/hub/topics/big/partitions/0/records?offset=" + from + "&limit=1");
            assertThat(atHole.statusCode()).isEqualTo(409);
            assertThat(atHole.body()).contains(damaged.getFileName().toString()).contains("position");
            long end2 = endOffset(last, "big");
            assertAllReadable(last, nextBase, end2);

            assertThat(last.post("/hub/topics/nope/partitions/0/repair", "{\"mode\":\"truncate\"}")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(last.post("/hub/topics/big/partitions/7/repair", "{\"mode\":\"truncate\"}")
                            .statusCode())
                    .isEqualTo(404);
            assertThat(last.post("/hub/topics/big/partitions/0/repair", "{\"mode\":\"bogus\"}")
                            .statusCode())
                    .isEqualTo(400);
            HttpResponse<String> repaired = last.post("/hub/topics/big/partitions/0/repair", "{\"mode\":\"truncate\"}");
            assertThat(repaired.statusCode()).as(repaired.body()).isEqualTo(200);
            JsonNode result = json(repaired);
            assertThat(result.get("offsets_dropped").asLong()).isEqualTo(nextBase - from);
            assertThat(result.get("bytes_dropped").asLong())
                    .isEqualTo(range.get("bytes").asLong());
            HttpResponse<String> again = last.post("/hub/topics/big/partitions/0/repair", "{\"mode\":\"truncate\"}");
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(again.body()).contains("big-0").contains("not damaged");

            assertTopicOnline(last, "big");
            String healthAfter = last.get("/actuator/health").body();
            assertThat(JSON.readTree(healthAfter)
                            .get("components")
                            .get("log")
                            .get("status")
                            .asText())
                    .as(healthAfter)
                    .isEqualTo("UP");
            assertAllReadable(last, 0, from);
            assertAllReadable(last, nextBase, end2);
        }
    }

    private static JsonNode partition(ChildWorker worker, String topic) throws IOException {
        HttpResponse<String> response = worker.get("/hub/topics/" + topic);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("partitions").get(0);
    }

    private static long endOffset(ChildWorker worker, String topic) throws IOException {
        HttpResponse<String> response = worker.get("/hub/topics/" + topic);
        return response.statusCode() == 200
                ? json(response).get("partitions").get(0).get("end_offset").asLong()
                : -1;
    }

    private static void assertTopicOnline(ChildWorker worker, String topic) throws IOException {
        JsonNode p = partition(worker, topic);
        assertThat(p.get("state").asText()).as(topic + ": " + p).isEqualTo("ONLINE");
        assertThat(p.get("damage")).as(topic).isEmpty();
        assertThat(p.get("size_bytes").asLong()).as(topic + " size").isPositive();
    }

    /** Reads offsets [from, to) through the records page: every record is a whole sequence value. */
    private static void assertAllReadable(ChildWorker worker, long from, long to) throws IOException {
        long next = from;
        while (next < to) {
            HttpResponse<String> response =
                    worker.get("/hub/topics/big/partitions/0/records?offset=" + next + "&limit=2");
            assertThat(response.statusCode())
                    .as("records at %d: %s", next, response.body())
                    .isEqualTo(200);
            JsonNode records = json(response).get("records");
            assertThat(records).as("records at %d", next).isNotEmpty();
            for (JsonNode r : records) {
                long offset = r.get("offset").asLong();
                if (offset >= to) {
                    return;
                }
                String value = r.get("value").get("text").asText();
                assertThat(value).as("record %d", offset).matches("(?s).*t0-v\\d+x+.*");
                assertThat(r.get("value").get("size").asInt())
                        .as("record %d size", offset)
                        .isGreaterThan(2 << 20);
                next = offset + 1;
            }
        }
    }
}
