package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.TestWorker;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's own endpoints under {@code /hub/} and the OpenAPI description, against a real worker. */
class HubEndpointsIT {

    @TempDir
    static Path dir;

    static TestWorker worker;
    static Http http;

    @BeforeAll
    static void start() {
        worker = TestWorker.start(dir);
        http = new Http(worker.port());
        http.post("/connectors", Http.json(ConnectorsContractIT.source("hub-src", "hub-topic")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/hub/topics/hub-topic").status() == 200
                        && http.get("/hub/topics/hub-topic")
                                        .json()
                                        .get("partitions")
                                        .get(0)
                                        .get("end_offset")
                                        .asLong()
                                > 0);
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    @Test
    void shouldListWorkersWithTheirState() {
        JsonNode workers = http.get("/hub/workers").json();
        assertThat(workers.size()).isEqualTo(1);
        assertThat(Http.fields(workers.get(0))).contains("id", "state", "connectors", "tasks");
        assertThat(workers.get(0).get("state").asText()).isEqualTo("RUNNING");
        String statusWorker = http.get("/connectors/hub-src/status")
                .json()
                .get("connector")
                .get("worker_id")
                .asText();
        assertThat(workers.get(0).get("id").asText()).isEqualTo(statusWorker);
    }

    @Test
    void shouldListTopicsWithPartitionsSizesAndEndOffsets() {
        JsonNode topics = http.get("/hub/topics").json();
        assertThat(topics.toString()).contains("\"name\":\"hub-topic\"");
        JsonNode topic = http.get("/hub/topics/hub-topic").json();
        assertThat(Http.fields(topic)).containsExactly("name", "internal", "size_bytes", "partitions");
        JsonNode p = topic.get("partitions").get(0);
        assertThat(Http.fields(p))
                .containsExactly(
                        "partition",
                        "log_start_offset",
                        "end_offset",
                        "size_bytes",
                        "state",
                        "damage",
                        "offline_reason");
        assertThat(p.get("size_bytes").asLong()).isPositive();
        assertThat(p.get("state").asText()).isEqualTo("ONLINE");
        assertThat(p.get("damage")).isEmpty();
        http.get("/hub/topics/no-such-topic").isError(404);
        http.post("/hub/topics/hub-topic/partitions/0/repair", "{\"mode\":\"truncate\"}")
                .isError(409);
    }

    @Test
    void shouldReadRecordsOfAPartitionDecodedForReading() {
        JsonNode page = http.get("/hub/topics/hub-topic/partitions/0/records?offset=0&limit=5")
                .json();
        assertThat(Http.fields(page))
                .containsExactly("topic", "partition", "log_start_offset", "end_offset", "next_offset", "records");
        assertThat(page.get("records").size()).isBetween(1, 5);
        JsonNode r = page.get("records").get(0);
        assertThat(Http.fields(r)).containsExactly("offset", "timestamp", "key", "value", "headers");
        assertThat(r.get("value").get("encoding").asText()).isEqualTo("utf8");
        assertThat(r.get("value").get("text").asText()).contains("v");
        long next = page.get("next_offset").asLong();
        JsonNode second = http.get("/hub/topics/hub-topic/partitions/0/records?offset=" + next + "&limit=5")
                .json();
        if (second.get("records").size() > 0) {
            assertThat(second.get("records").get(0).get("offset").asLong()).isEqualTo(next);
        }
        http.get("/hub/topics/hub-topic/partitions/9/records").isError(404);
        http.get("/hub/topics/hub-topic/partitions/0/records?offset=-1").isError(400);
        http.get("/hub/topics/hub-topic/partitions/0/records?limit=100000").isError(400);
        http.get("/hub/topics/hub-topic/partitions/x/records").isError(400);
        http.get("/hub/topics/__sluice_configs/partitions/0/records").isError(403);
    }

    @Test
    void shouldReportRatesAndLagPerConnector() {
        JsonNode all = http.get("/hub/connectors/rates").json();
        assertThat(all.toString()).contains("\"connector\":\"hub-src\"");
        JsonNode one = http.get("/hub/connectors/hub-src/rates").json();
        assertThat(Http.fields(one)).containsExactly("connector", "type", "records_total", "records_per_second", "lag");
        assertThat(one.get("type").asText()).isEqualTo("source");
        http.get("/hub/connectors/nobody/rates").isError(404);
    }

    @Test
    void shouldStreamStateChangesAsServerSentEvents() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.base() + "/hub/events"))
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<InputStream> response =
                HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException closed) {
                // stream closed at the end of the test
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event:ready"));

        http.put("/connectors/hub-src/pause", null);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> lines.stream()
                        .anyMatch(l -> l.startsWith("data:")
                                && l.contains("\"connector\":\"hub-src\"")
                                && l.contains("\"state\":\"PAUSED\"")));
        assertThat(lines).contains("event:state");
        String data = lines.stream()
                .filter(l -> l.startsWith("data:") && l.contains("PAUSED"))
                .findFirst()
                .orElseThrow();
        assertThat(Http.fields(Http.JSON.readTree(data.substring("data:".length()))))
                .containsExactly("at", "kind", "connector", "task", "state", "worker_id");
        http.put("/connectors/hub-src/resume", null);
        response.body().close();
    }

    @Test
    void shouldDescribeEveryEndpointInOpenApi() {
        Http.Response doc = http.get("/hub/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("openapi").asText()).startsWith("3.");
        JsonNode paths = doc.json().get("paths");
        for (String path : List.of(
                "/",
                "/health",
                "/connectors",
                "/connectors/{connector}",
                "/connectors/{connector}/config",
                "/connectors/{connector}/status",
                "/connectors/{connector}/restart",
                "/connectors/{connector}/pause",
                "/connectors/{connector}/resume",
                "/connectors/{connector}/stop",
                "/connectors/{connector}/tasks",
                "/connectors/{connector}/tasks/{task}/status",
                "/connectors/{connector}/tasks/{task}/restart",
                "/connectors/{connector}/topics",
                "/connectors/{connector}/topics/reset",
                "/connectors/{connector}/offsets",
                "/connector-plugins",
                "/connector-plugins/{plugin}/config",
                "/connector-plugins/{plugin}/config/validate",
                "/admin/loggers",
                "/admin/loggers/{logger}",
                "/hub/workers",
                "/hub/topics",
                "/hub/topics/{topic}",
                "/hub/topics/{topic}/partitions/{partition}/records",
                "/hub/topics/{topic}/partitions/{partition}/repair",
                "/hub/connectors/rates",
                "/hub/connectors/{connector}/rates",
                "/hub/connectors/{connector}/snapshot",
                "/hub/connectors/{connector}/replication-slot",
                "/hub/events")) {
            assertThat(paths.has(path)).as("OpenAPI documents %s", path).isTrue();
        }
        assertThat(Map.of("patch", paths.get("/connectors/{connector}/config").has("patch")))
                .containsEntry("patch", true);
    }
}
