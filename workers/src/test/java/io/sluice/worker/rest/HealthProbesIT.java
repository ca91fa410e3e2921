package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import io.sluice.worker.TestWorker;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes a Kubernetes (or any) health check calls, against a real worker: a fresh hub is healthy
 * (200, nothing probes an Elasticsearch it does not use); a worker whose log has a damaged partition
 * stays live but is not ready, and readiness names the partition and the repair.
 */
class HealthProbesIT {

    @TempDir
    Path dir;

    @Test
    void shouldBeHealthyLiveAndReadyOnAFreshHub() throws Exception {
        try (TestWorker worker = TestWorker.start(dir)) {
            Http http = new Http(worker.port());

            Http.Response health = http.get("/actuator/health");
            assertThat(health.status()).as(health.text()).isEqualTo(200);
            assertThat(json(health).get("status").asText()).isEqualTo("UP");
            assertThat(Http.fields(json(health).get("components")))
                    .contains("log", "cluster", "livenessState", "readinessState")
                    .doesNotContain("elasticsearch");

            Http.Response liveness = http.get("/actuator/health/liveness");
            assertThat(liveness.status()).as(liveness.text()).isEqualTo(200);
            assertThat(json(liveness).get("status").asText()).isEqualTo("UP");

            Http.Response readiness = http.get("/actuator/health/readiness");
            assertThat(readiness.status()).as(readiness.text()).isEqualTo(200);
            assertThat(Http.fields(json(readiness).get("components")))
                    .containsExactlyInAnyOrder("cluster", "log", "readinessState");
            assertThat(json(readiness)
                            .get("components")
                            .get("cluster")
                            .get("details")
                            .get("mode")
                            .asText())
                    .isEqualTo("single worker");
        }
    }

    @Test
    void shouldStayLiveButNotReadyWithADamagedPartitionNamingItAndTheRepair() throws Exception {
        Path segment = damagedSegment();
        try (TestWorker worker = TestWorker.start(dir)) {
            Http http = new Http(worker.port());

            Http.Response readiness = http.get("/actuator/health/readiness");
            assertThat(readiness.status()).as(readiness.text()).isEqualTo(503);
            JsonNode log = json(readiness).get("components").get("log");
            assertThat(log.get("status").asText()).isEqualTo("OUT_OF_SERVICE");
            assertThat(log.get("details").get("damagedPartitions").has("orders-0"))
                    .as(readiness.text())
                    .isTrue();
            assertThat(log.get("details").toString())
                    .contains(segment.toString())
                    .contains("CRC");
            assertThat(log.get("details").get("repair").asText()).contains("/repair");

            Http.Response liveness = http.get("/actuator/health/liveness");
            assertThat(liveness.status()).as(liveness.text()).isEqualTo(200);
        }
    }

    /** Actuator answers in its own JSON media type, which {@link Http} does not parse. */
    private static JsonNode json(Http.Response response) throws Exception {
        return Http.JSON.readTree(response.text());
    }

    /** Writes a topic of several segments into the data directory, then flips bytes in a closed one. */
    private Path damagedSegment() throws Exception {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("orders", Map.of("segment.bytes", "4096", "retention.ms", "-1"));
            PartitionLog p = log.partition("orders", 0);
            for (int i = 0; i < 60; i++) {
                p.append(List.of(new Record(new byte[] {(byte) i}, new byte[300], List.of(), 1_700_000_000_000L + i)));
            }
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("orders").resolve("0"))) {
            segment = files.filter(f -> f.toString().endsWith(".log"))
                    .sorted()
                    .toList()
                    .get(1);
        }
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            raf.seek(raf.length() - 10);
            int b = raf.read();
            raf.seek(raf.length() - 10);
            raf.write(b ^ 0x01);
        }
        return segment;
    }
}
