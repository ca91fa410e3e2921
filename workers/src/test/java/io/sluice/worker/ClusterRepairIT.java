package io.sluice.worker;

import static io.sluice.worker.ChildCluster.get;
import static io.sluice.worker.ChildCluster.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica whose closed segment was damaged on disk (a byte flipped while its worker was down, found
 * by the full scan at its restart) is repaired by copy from the other replicas over REST: afterwards it
 * serves every record the healthy replicas serve, none missing, none changed.
 */
class ClusterRepairIT {

    private static final String TOPIC = "seq-repair";

    @TempDir
    Path dir;

    private static Path console() {
        return Path.of("target", "ClusterRepairIT-console.txt").toAbsolutePath();
    }

    @Test
    void shouldRepairADamagedReplicaByCopyFromTheOthersWithoutLosingARecord() throws Exception {
        Files.deleteIfExists(console());
        try (ChildCluster cluster = ChildCluster.start(dir, console(), 3)) {
            String body = "{\"name\":\"" + TOPIC + "\",\"config\":{\"connector.class\":\""
                    + SequenceSourceConnector.class.getName() + "\",\"topic\":\"" + TOPIC + "\",\"tasks.max\":\"1\","
                    + "\"batch.size\":\"50\",\"poll.delay.ms\":\"5\","
                    + "\"topic.creation.default.replication.factor\":\"3\","
                    + "\"topic.creation.default.partitions\":\"1\","
                    + "\"topic.creation.default.segment.bytes\":\"16384\"}}";
            var created = cluster.worker(1).post("/connectors", body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> endOffset(cluster.worker(1)) >= 3_000);
            assertThat(cluster.worker(1)
                            .put("/connectors/" + TOPIC + "/stop", "")
                            .statusCode())
                    .isEqualTo(204);
            // every replica holds the same end once nothing more is appended
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> {
                        long end = endOffset(cluster.worker(1));
                        return endOffset(cluster.worker(2)) == end && endOffset(cluster.worker(3)) == end;
                    });
            List<String> expected = records(cluster.worker(1));
            assertThat(expected).hasSizeGreaterThanOrEqualTo(3_000);

            cluster.kill(3);
            Path partition = cluster.dataDir(3).resolve("replication/log/" + TOPIC + "/0");
            List<Path> segments = segments(partition);
            assertThat(segments).as("closed segments of node 3's replica").hasSizeGreaterThan(3);
            Path damaged = segments.get(1);
            flipByte(damaged, Files.size(damaged) / 2);
            removeCheckpointAndIndexes(partition); // its restart scans every segment
            cluster.restart(3);
            cluster.awaitMembers(3);
            ChildWorker node3 = cluster.worker(3);

            JsonNode info = await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(
                            () -> partitionInfo(node3),
                            p -> "DAMAGED".equals(p.path("state").asText()));
            assertThat(info.path("damage").toString())
                    .contains(damaged.getFileName().toString());

            var repaired = node3.post("/hub/topics/" + TOPIC + "/partitions/0/repair", "{\"mode\":\"recopy\"}");
            assertThat(repaired.statusCode()).as(repaired.body()).isEqualTo(200);
            System.out.println("ClusterRepairIT: " + repaired.body());
            assertThat(json(repaired.body()).path("offsets_dropped").asLong()).isZero();

            assertThat(partitionInfo(node3).path("state").asText()).isEqualTo("ONLINE");
            assertThat(records(node3)).as("node 3's replica after the repair").isEqualTo(expected);
            var again = node3.post("/hub/topics/" + TOPIC + "/partitions/0/repair", "{\"mode\":\"recopy\"}");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        }
    }

    private static JsonNode partitionInfo(ChildWorker from) {
        return json(get(from, "/hub/topics/" + TOPIC)).path("partitions").path(0);
    }

    private static long endOffset(ChildWorker from) {
        return json(get(from, "/hub/topics/" + TOPIC + "/partitions/0/records?limit=1&offset=0"))
                .path("end_offset")
                .asLong(-1);
    }

    /** Every record value of the topic, as {@code from} serves them from its own replica. */
    private static List<String> records(ChildWorker from) {
        List<String> values = new ArrayList<>();
        long offset = 0;
        while (true) {
            JsonNode page =
                    json(get(from, "/hub/topics/" + TOPIC + "/partitions/0/records?limit=1000&offset=" + offset));
            for (JsonNode r : page.get("records")) {
                values.add(r.get("offset").asLong() + "="
                        + r.get("value").get("text").asText());
            }
            long next = page.get("next_offset").asLong();
            if (next <= offset || page.get("records").isEmpty()) {
                return values;
            }
            offset = next;
        }
    }

    private static List<Path> segments(Path partition) throws IOException {
        try (Stream<Path> files = Files.list(partition)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .toList();
        }
    }

    private static void removeCheckpointAndIndexes(Path partition) throws IOException {
        try (Stream<Path> files = Files.list(partition)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".index") || name.endsWith(".timeindex") || name.equals("partition.checkpoint")) {
                    Files.delete(f);
                }
            }
        }
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x5a);
        }
    }
}
