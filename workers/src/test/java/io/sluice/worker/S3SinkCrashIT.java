package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.S3Fixture;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake promise across crashes: a worker in a child JVM streams a source into the S3 sink and is
 * killed with SIGKILL mid-stream, several times, then restarted on the same data directory. For each
 * log partition, the objects in the bucket must tile its offsets from 0 with no gap and no overlap,
 * and hold exactly the log's records in order: every record of the log exactly once in the lake.
 * (The source side is at-least-once: a killed source repeats up to one offset-flush interval of
 * records into the log; those repeats are distinct log records and are expected in the bucket.)
 */
class S3SinkCrashIT {

    private static final int KILLS = 3;
    private static final int FLUSH_SIZE = 500;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OBJECT = Pattern.compile(".*/orders\\+(\\d+)\\+(\\d{10})\\.json$");

    @TempDir
    Path dir;

    @Test
    void shouldHoldEveryLogRecordExactlyOnceAfterWorkersAreKilledMidUpload() throws Exception {
        Path console = Path.of("target", "S3SinkCrashIT-console.txt").toAbsolutePath();
        Files.deleteIfExists(console);
        String classPath = ChildWorker.stableClassPath(dir.resolve("classpath"));
        String[] args = {"--sluice.offset-flush-interval=1s"};
        try (S3Fixture s3 = S3Fixture.start()) {
            String bucket = s3.createBucket("lake");
            ChildWorker worker = ChildWorker.start(classPath, dir.resolve("data"), console, args);
            assertThat(worker.post("/connectors", json("seq", source())).statusCode())
                    .isEqualTo(201);
            assertThat(worker.post("/connectors", json("lake", sink(s3, bucket)))
                            .statusCode())
                    .isEqualTo(201);
            for (int kill = 1; kill <= KILLS; kill++) {
                int objectsBefore = s3.keys(bucket).size();
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> s3.keys(bucket).size() >= objectsBefore + 4);
                worker.kill();
                worker = ChildWorker.start(classPath, dir.resolve("data"), console, args);
            }
            try (ChildWorker last = worker) {
                Map<Integer, Long> recovered = endOffsets(last);
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> covered(s3, bucket, recovered));
                for (Map.Entry<Integer, List<Chunk>> e : objects(s3, bucket).entrySet()) {
                    assertTilesTheLog(last, e.getKey(), e.getValue());
                }
                assertThat(s3.pendingMultipartUploads(bucket)).isEmpty();
            }
        }
    }

    /** One object: its partition's start offset and its lines (record values), in order. */
    record Chunk(String key, long start, List<String> values) {}

    private static void assertTilesTheLog(ChildWorker worker, int partition, List<Chunk> chunks) throws Exception {
        long expected = 0;
        List<String> lake = new ArrayList<>();
        for (Chunk c : chunks) {
            assertThat(c.start())
                    .as("object %s starts where the previous one ended", c.key())
                    .isEqualTo(expected);
            lake.addAll(c.values());
            expected += c.values().size();
        }
        List<String> log = logValues(worker, partition, expected);
        assertThat(lake)
                .as("partition %d: the lake holds exactly the log's records %d..%d", partition, 0, expected)
                .containsExactlyElementsOf(log);
    }

    private static boolean covered(S3Fixture s3, String bucket, Map<Integer, Long> ends) throws Exception {
        Map<Integer, List<Chunk>> objects = objects(s3, bucket);
        for (Map.Entry<Integer, Long> end : ends.entrySet()) {
            long upTo = 0;
            for (Chunk c : objects.getOrDefault(end.getKey(), List.of())) {
                upTo = Math.max(upTo, c.start() + c.values().size());
            }
            // everything recovered after the last kill, less the tail still below flush.size
            if (upTo < end.getValue() - FLUSH_SIZE) {
                return false;
            }
        }
        return true;
    }

    private static Map<Integer, List<Chunk>> objects(S3Fixture s3, String bucket) throws Exception {
        Map<Integer, List<Chunk>> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> o : new TreeMap<>(s3.readAll(bucket)).entrySet()) {
            Matcher m = OBJECT.matcher(o.getKey());
            assertThat(m.matches()).as("object name %s", o.getKey()).isTrue();
            List<String> values = new ArrayList<>();
            for (String line : new String(o.getValue(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    values.add(JSON.readTree(line).asText());
                }
            }
            out.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>())
                    .add(new Chunk(o.getKey(), Long.parseLong(m.group(2)), values));
        }
        out.values().forEach(list -> list.sort((a, b) -> Long.compare(a.start(), b.start())));
        return out;
    }

    private static Map<Integer, Long> endOffsets(ChildWorker worker) throws Exception {
        JsonNode topic = JSON.readTree(worker.get("/hub/topics/orders").body());
        Map<Integer, Long> out = new TreeMap<>();
        for (JsonNode p : topic.get("partitions")) {
            out.put(p.get("partition").asInt(), p.get("end_offset").asLong());
        }
        return out;
    }

    private static List<String> logValues(ChildWorker worker, int partition, long upTo) throws Exception {
        List<String> out = new ArrayList<>();
        long offset = 0;
        while (offset < upTo) {
            JsonNode page = JSON.readTree(worker.get(
                            "/hub/topics/orders/partitions/" + partition + "/records?offset=" + offset + "&limit=1000")
                    .body());
            for (JsonNode r : page.get("records")) {
                if (r.get("offset").asLong() < upTo) {
                    out.add(r.get("value").get("text").asText());
                }
            }
            offset = page.get("next_offset").asLong();
        }
        return out;
    }

    private static Map<String, String> source() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", SequenceSourceConnector.class.getName());
        c.put("topic", "orders");
        c.put("tasks.max", "2");
        c.put("batch.size", "50");
        c.put("poll.delay.ms", "5");
        c.put("topic.creation.default.partitions", "2");
        c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        return c;
    }

    private static Map<String, String> sink(S3Fixture s3, String bucket) {
        Map<String, String> c = new LinkedHashMap<>(s3.connectorSettings(bucket));
        c.put("connector.class", "io.sluice.connect.s3.S3SinkConnector");
        c.put("topics", "orders");
        c.put("tasks.max", "1");
        c.put("format.class", "json");
        c.put("flush.size", Integer.toString(FLUSH_SIZE));
        c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        return c;
    }

    private static String json(String name, Map<String, String> config) throws Exception {
        return JSON.writeValueAsString(Map.of("name", name, "config", config));
    }
}
