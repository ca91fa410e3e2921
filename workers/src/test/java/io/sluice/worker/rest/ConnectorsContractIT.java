package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.TestWorker;
import io.sluice.worker.testconnectors.CountingSinkConnector;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code /connectors} endpoints against a real worker over HTTP: status codes and JSON field
 * names and types as Kafka Connect 4.3's REST entities write them (ConnectorInfo, ConnectorStateInfo,
 * TaskInfo, ConnectorOffsets, Message, ActiveTopicsInfo, ErrorMessage).
 */
class ConnectorsContractIT {

    @TempDir
    static Path dir;

    static TestWorker worker;
    static Http http;

    @BeforeAll
    static void start() {
        worker = TestWorker.start(
                dir,
                "sluice.connect.config.providers=env",
                "sluice.connect.config.providers.env.class="
                        + "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        http = new Http(worker.port());
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    static Map<String, Object> source(String name, String topic) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("connector.class", SequenceSourceConnector.class.getName());
        config.put("topic", topic);
        config.put("count", "20");
        config.put("tasks.max", "2");
        return Map.of("name", name, "config", config);
    }

    static Map<String, String> sink(String topics) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", CountingSinkConnector.class.getName());
        config.put("topics", topics);
        config.put("api.password", "s3cret-value");
        return config;
    }

    static void awaitState(String name, String state) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> state.equals(http.get("/connectors/" + name + "/status")
                        .json()
                        .path("connector")
                        .path("state")
                        .asText()));
    }

    static void assertConnectorInfo(JsonNode info, String name, String type) {
        assertThat(Http.fields(info)).containsExactly("name", "config", "tasks", "type");
        assertThat(info.get("name").asText()).isEqualTo(name);
        assertThat(info.get("config").isObject()).isTrue();
        info.get("config").forEach(v -> assertThat(v.isTextual()).isTrue());
        assertThat(info.get("tasks").isArray()).isTrue();
        info.get("tasks").forEach(t -> {
            assertThat(Http.fields(t)).containsExactly("connector", "task");
            assertThat(t.get("connector").asText()).isEqualTo(name);
            assertThat(t.get("task").isInt()).isTrue();
        });
        assertThat(info.get("type").asText()).isEqualTo(type);
    }

    static void assertStatus(JsonNode status, String name) {
        // Kafka Connect's fields in its order, then Sluice's worst-part summary (clients ignore it)
        assertThat(Http.fields(status)).startsWith("name", "connector", "tasks", "type");
        assertThat(Http.fields(status)).contains("health");
        assertThat(status.get("health").asText()).isIn("HEALTHY", "DEGRADED", "FAILED");
        assertThat(status.get("name").asText()).isEqualTo(name);
        assertThat(Http.fields(status.get("connector"))).startsWith("state", "worker_id");
        assertThat(status.get("connector").get("state").isTextual()).isTrue();
        assertThat(status.get("connector").get("worker_id").isTextual()).isTrue();
        status.get("tasks").forEach(t -> {
            assertThat(Http.fields(t)).startsWith("id", "state", "worker_id");
            assertThat(t.get("id").isInt()).isTrue();
        });
    }

    @Test
    void shouldCreateAConnectorWith201AndLocationAndAnswer409ForTheSameName() {
        Http.Response created = http.post("/connectors", Http.json(source("c-create", "t-create")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/connectors/c-create");
        assertConnectorInfo(created.json(), "c-create", "source");
        assertThat(created.json().get("config").get("name").asText()).isEqualTo("c-create");

        http.post("/connectors", Http.json(source("c-create", "t-create"))).isError(409);
    }

    @Test
    void shouldCreateInTheRequestedInitialState() {
        Map<String, Object> body = new LinkedHashMap<>(source("c-initial", "t-initial"));
        body.put("initial_state", "PAUSED");
        assertThat(http.post("/connectors", Http.json(body)).status()).isEqualTo(201);
        awaitState("c-initial", "PAUSED");

        body = new LinkedHashMap<>(source("c-initial-stopped", "t-initial"));
        body.put("initial_state", "STOPPED");
        assertThat(http.post("/connectors", Http.json(body)).status()).isEqualTo(201);
        awaitState("c-initial-stopped", "STOPPED");

        body.put("initial_state", "SLEEPING");
        body.put("name", "c-initial-bad");
        http.post("/connectors", Http.json(body)).isError(400);
    }

    @Test
    void shouldListNamesAndExpandStatusAndInfo() {
        http.post("/connectors", Http.json(source("c-list", "t-list")));
        JsonNode names = http.get("/connectors").json();
        assertThat(names.isArray()).isTrue();
        assertThat(names.toString()).contains("\"c-list\"");

        JsonNode status = http.get("/connectors?expand=status").json();
        assertThat(Http.fields(status.get("c-list"))).containsExactly("status");
        assertStatus(status.get("c-list").get("status"), "c-list");

        JsonNode info = http.get("/connectors?expand=info").json();
        assertConnectorInfo(info.get("c-list").get("info"), "c-list", "source");

        JsonNode both = http.get("/connectors?expand=status&expand=info").json();
        assertThat(Http.fields(both.get("c-list"))).containsExactlyInAnyOrder("status", "info");
    }

    @Test
    void shouldGetPutAndPatchConfig() {
        http.post("/connectors", Http.json(source("c-config", "t-config")));
        assertConnectorInfo(http.get("/connectors/c-config").json(), "c-config", "source");
        JsonNode config = http.get("/connectors/c-config/config").json();
        assertThat(config.get("topic").asText()).isEqualTo("t-config");

        Map<String, String> updated = new LinkedHashMap<>();
        config.fields()
                .forEachRemaining(e -> updated.put(e.getKey(), e.getValue().asText()));
        updated.put("batch.size", "5");
        Http.Response put = http.put("/connectors/c-config/config", Http.json(updated));
        assertThat(put.status()).isEqualTo(200);
        assertConnectorInfo(put.json(), "c-config", "source");
        assertThat(put.json().get("config").get("batch.size").asText()).isEqualTo("5");

        Http.Response createdByPut = http.put(
                "/connectors/c-config-put/config", Http.json(source("x", "t").get("config")));
        assertThat(createdByPut.status()).isEqualTo(201);
        assertThat(createdByPut.headers().firstValue("Location").orElseThrow()).endsWith("/connectors/c-config-put");

        Map<String, String> patch = new LinkedHashMap<>();
        patch.put("batch.size", null);
        patch.put("keys", "3");
        Http.Response patched = http.patch("/connectors/c-config/config", Http.json(patch));
        assertThat(patched.status()).isEqualTo(200);
        assertConnectorInfo(patched.json(), "c-config", "source");
        assertThat(patched.json().get("config").has("batch.size")).isFalse();
        assertThat(patched.json().get("config").get("keys").asText()).isEqualTo("3");
    }

    @Test
    void shouldReportStatusTasksAndTaskStatus() {
        http.post("/connectors", Http.json(source("c-status", "t-status")));
        awaitState("c-status", "RUNNING");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/connectors/c-status/status")
                                .json()
                                .get("tasks")
                                .size()
                        == 2);
        assertStatus(http.get("/connectors/c-status/status").json(), "c-status");

        JsonNode tasks = http.get("/connectors/c-status/tasks").json();
        assertThat(tasks.size()).isEqualTo(2);
        assertThat(Http.fields(tasks.get(0))).containsExactly("id", "config");
        assertThat(Http.fields(tasks.get(0).get("id"))).containsExactly("connector", "task");

        Http.Response task = http.get("/connectors/c-status/tasks/1/status");
        assertThat(task.status()).isEqualTo(200);
        assertThat(Http.fields(task.json())).startsWith("id", "state", "worker_id");
        assertThat(task.json().get("id").asInt()).isEqualTo(1);

        http.get("/connectors/c-status/tasks/7/status").isError(404);
        http.get("/connectors/c-status/tasks/x/status").isError(404);
        http.get("/connectors/nobody/status").isError(404);
    }

    @Test
    void shouldRestartPauseResumeAndStop() {
        http.post("/connectors", Http.json(source("c-life", "t-life")));
        awaitState("c-life", "RUNNING");
        Http.Response plain = http.post("/connectors/c-life/restart", null);
        assertThat(plain.status()).isEqualTo(204);
        assertThat(plain.text()).isEmpty();

        Http.Response withTasks = http.post("/connectors/c-life/restart?includeTasks=true&onlyFailed=false", null);
        assertThat(withTasks.status()).isEqualTo(202);
        assertStatus(withTasks.json(), "c-life");

        Http.Response onlyFailed = http.post("/connectors/c-life/restart?includeTasks=true&onlyFailed=true", null);
        assertThat(onlyFailed.status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/connectors/c-life/tasks/0/status").status() == 200);
        assertThat(http.post("/connectors/c-life/tasks/0/restart", null).status())
                .isEqualTo(204);
        http.post("/connectors/c-life/tasks/99/restart", null).isError(404);

        assertThat(http.put("/connectors/c-life/pause", null).status()).isEqualTo(202);
        awaitState("c-life", "PAUSED");
        assertThat(http.put("/connectors/c-life/resume", null).status()).isEqualTo(202);
        awaitState("c-life", "RUNNING");
        assertThat(http.put("/connectors/c-life/stop", null).status()).isEqualTo(204);
        awaitState("c-life", "STOPPED");
        http.put("/connectors/nobody/pause", null).isError(404);
    }

    @Test
    void shouldReadAndChangeOffsetsOnlyWhenStopped() {
        http.post("/connectors", Http.json(source("c-offsets", "t-offsets")));
        awaitState("c-offsets", "RUNNING");
        Http.Response offsets = http.get("/connectors/c-offsets/offsets");
        assertThat(offsets.status()).isEqualTo(200);
        assertThat(Http.fields(offsets.json())).containsExactly("offsets");

        String alter = "{\"offsets\":[{\"partition\":{\"task\":\"0\"},\"offset\":{\"n\":5}}]}";
        Http.Response refused =
                http.patch("/connectors/c-offsets/offsets", alter).isError(400);
        assertThat(refused.json().get("message").asText()).contains("STOPPED");

        http.put("/connectors/c-offsets/stop", null);
        awaitState("c-offsets", "STOPPED");
        Http.Response altered = http.patch("/connectors/c-offsets/offsets", alter);
        assertThat(altered.status()).isEqualTo(200);
        assertThat(Http.fields(altered.json())).containsExactly("message");
        JsonNode after = http.get("/connectors/c-offsets/offsets").json().get("offsets");
        assertThat(after.toString()).contains("\"partition\":{\"task\":\"0\"}").contains("\"offset\":{\"n\":5}");

        http.patch("/connectors/c-offsets/offsets", "{}").isError(400);
        Http.Response reset = http.delete("/connectors/c-offsets/offsets");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.json().get("message").asText()).contains("reset");
    }

    @Test
    void shouldShowSinkOffsetsAsKafkaTopicPartitionAndOffset() {
        http.post("/connectors", Http.json(source("c-feed", "t-sinkoffsets")));
        http.post("/connectors", Http.json(Map.of("name", "c-sink", "config", sink("t-sinkoffsets"))));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/connectors/c-sink/offsets")
                                .json()
                                .get("offsets")
                                .size()
                        > 0);
        JsonNode first =
                http.get("/connectors/c-sink/offsets").json().get("offsets").get(0);
        assertThat(Http.fields(first)).containsExactly("partition", "offset");
        assertThat(first.get("partition").get("kafka_topic").asText()).isEqualTo("t-sinkoffsets");
        assertThat(first.get("partition").get("kafka_partition").isInt()).isTrue();
        assertThat(first.get("offset").get("kafka_offset").isIntegralNumber()).isTrue();

        JsonNode topics = http.get("/connectors/c-sink/topics").json();
        assertThat(Http.fields(topics)).containsExactly("c-sink");
        assertThat(Http.fields(topics.get("c-sink"))).containsExactly("topics");
        assertThat(topics.get("c-sink").get("topics").toString()).contains("t-sinkoffsets");
        assertThat(http.put("/connectors/c-sink/topics/reset", null).status()).isEqualTo(202);
    }

    @Test
    void shouldHideSecretsEverywhereAndKeepThemWhenSentBackHidden() {
        Http.Response created =
                http.post("/connectors", Http.json(Map.of("name", "c-secret", "config", sink("t-secret"))));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text()).doesNotContain("s3cret-value");
        for (String path : new String[] {
            "/connectors/c-secret",
            "/connectors/c-secret/config",
            "/connectors/c-secret/tasks",
            "/connectors?expand=info",
            "/connectors?expand=status&expand=info"
        }) {
            Http.Response r = http.get(path);
            assertThat(r.text()).as(path).doesNotContain("s3cret-value");
        }
        assertThat(http.get("/connectors/c-secret/config")
                        .json()
                        .get("api.password")
                        .asText())
                .isEqualTo("[hidden]");

        Map<String, String> sentBack = sink("t-secret");
        sentBack.put("api.password", "[hidden]");
        sentBack.put("report.value", "changed");
        Http.Response put = http.put("/connectors/c-secret/config", Http.json(sentBack));
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.text()).doesNotContain("s3cret-value");
        assertThat(worker.log().partitionsOf("__sluice_configs").get(0).fetch(0, 1 << 20).records().stream()
                        .map(r -> new String(r.value() == null ? new byte[0] : r.value()))
                        .filter(v -> v.contains("changed"))
                        .findFirst()
                        .orElseThrow())
                .contains("s3cret-value");

        Map<String, String> noStoredValue = sink("t-secret");
        noStoredValue.put("other.password", "[hidden]");
        http.put("/connectors/c-secret/config", Http.json(noStoredValue)).isError(400);
    }

    @Test
    void shouldShowConfigProviderReferencesAsWritten() {
        Map<String, String> config = sink("t-ref");
        config.put("report.value", "${env:HOME}");
        assertThat(http.post("/connectors", Http.json(Map.of("name", "c-ref", "config", config)))
                        .status())
                .isIn(201, 400);
        Http.Response got = http.get("/connectors/c-ref/config");
        if (got.status() == 200) {
            assertThat(got.json().get("report.value").asText()).isEqualTo("${env:HOME}");
        }
    }

    @Test
    void shouldDeleteWith204AndThenAnswer404() {
        http.post("/connectors", Http.json(source("c-delete", "t-delete")));
        Http.Response deleted = http.delete("/connectors/c-delete");
        assertThat(deleted.status()).isEqualTo(204);
        http.get("/connectors/c-delete").isError(404);
        http.delete("/connectors/c-delete").isError(404);
    }

    @Test
    void shouldRejectAnInvalidConfigListingEveryBadField() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", SequenceSourceConnector.class.getName());
        config.put("batch.size", "0");
        config.put("tasks.max", "many");
        Http.Response r = http.post("/connectors", Http.json(Map.of("name", "c-invalid", "config", config)))
                .isError(400);
        assertThat(r.json().get("message").asText())
                .contains("topic")
                .contains("batch.size")
                .contains("tasks.max");
        assertThat(r.json().get("errors").size()).isGreaterThanOrEqualTo(3);
        http.get("/connectors/c-invalid").isError(404);
    }
}
