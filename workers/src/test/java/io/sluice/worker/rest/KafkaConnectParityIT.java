package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.TestWorker;
import io.sluice.worker.testconnectors.CountingSinkConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers where the hub used to differ from Kafka Connect 4.x: validating an unknown plugin, a
 * trailing slash on {@code /connectors/}, a converter setting naming a class that is no converter,
 * names no URL can address, cluster-scoped logger changes and the planned states of a restart.
 */
class KafkaConnectParityIT {

    @TempDir
    static Path dir;

    static TestWorker worker;
    static Http http;

    @BeforeAll
    static void start() {
        worker = TestWorker.start(dir);
        http = new Http(worker.port());
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    @Test
    void shouldRefuseToValidateAConfigForAnUnknownPlugin() {
        Http.Response r = http.put(
                        "/connector-plugins/NoSuchConnector/config/validate",
                        Http.json(Map.of("connector.class", "NoSuchConnector", "topics", "t")))
                .isError(400);
        assertThat(r.json().get("message").asText())
                .contains("Failed to find any class that implements Connector")
                .contains("NoSuchConnector");
        assertThat(http.put(
                                "/connector-plugins/CountingSinkConnector/config/validate",
                                Http.json(Map.of("topics", "t")))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void shouldAnswerConnectorsWithATrailingSlash() {
        Http.Response r = http.get("/connectors/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().isArray()).isTrue();
    }

    @Test
    void shouldRefuseAConverterSettingThatNamesNoConverter() {
        Map<String, String> config = sink("t-conv");
        config.put("value.converter", "java.lang.String");
        Http.Response r = http.post("/connectors", Http.json(Map.of("name", "c-conv", "config", config)))
                .isError(400);
        assertThat(r.json().get("message").asText())
                .contains("value.converter")
                .contains("java.lang.String is not a subclass of org.apache.kafka.connect.storage.Converter");
        http.get("/connectors/c-conv").isError(404);

        JsonNode validation = http.put("/connector-plugins/CountingSinkConnector/config/validate", Http.json(config))
                .json();
        assertThat(validation.get("error_count").asInt()).isPositive();
        assertThat(errorsOf(validation, "value.converter"))
                .singleElement()
                .asString()
                .contains("not a subclass");
    }

    @Test
    void shouldRefuseNamesThatNoUrlCouldAddress() {
        String config = Http.json(sink("t-names"));
        Http.Response backslash = http.post("/connectors", "{\"name\":\"back\\\\slash\",\"config\":" + config + "}")
                .isError(400);
        assertThat(backslash.json().get("message").asText()).contains("U+005C");
        Http.Response surrogate = http.post("/connectors", "{\"name\":\"lone\\ud800\",\"config\":" + config + "}")
                .isError(400);
        assertThat(surrogate.json().get("message").asText()).contains("U+D800");
        assertThat(http.post("/connectors", "{\"name\":\"pair\\ud83d\\ude00\",\"config\":" + config + "}")
                        .status())
                .isEqualTo(201);
        assertThat(http.get("/connectors").json().toString())
                .doesNotContain("back")
                .doesNotContain("lone");
    }

    @Test
    void shouldAnswerAClusterScopedLoggerChangeWith204() {
        Http.Response cluster = http.put("/admin/loggers/io.sluice.parity?scope=cluster", "{\"level\":\"DEBUG\"}");
        assertThat(cluster.status()).isEqualTo(204);
        assertThat(cluster.text()).isEmpty();
        assertThat(http.get("/admin/loggers/io.sluice.parity")
                        .json()
                        .get("level")
                        .asText())
                .isEqualTo("DEBUG");
        Http.Response worker = http.put("/admin/loggers/io.sluice.parity?scope=worker", "{\"level\":\"INFO\"}");
        assertThat(worker.status()).isEqualTo(200);
        assertThat(worker.json().toString()).contains("io.sluice.parity");
    }

    @Test
    void shouldAnswerARestartWithThePlannedRestartingStates() {
        Map<String, String> config = sink("t-restart");
        config.put("tasks.max", "2");
        http.post("/connectors", Http.json(Map.of("name", "c-restart", "config", config)));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode s = http.get("/connectors/c-restart/status").json();
            return s.path("tasks").size() == 2 && states(s).stream().allMatch("RUNNING"::equals);
        });

        Http.Response all = http.post("/connectors/c-restart/restart?includeTasks=true", null);
        assertThat(all.status()).isEqualTo(202);
        assertThat(states(all.json())).containsExactly("RESTARTING", "RESTARTING", "RESTARTING");

        await().atMost(Duration.ofSeconds(60))
                .until(() -> states(http.get("/connectors/c-restart/status").json()).stream()
                        .allMatch("RUNNING"::equals));
        Http.Response onlyFailed = http.post("/connectors/c-restart/restart?includeTasks=true&onlyFailed=true", null);
        assertThat(onlyFailed.status()).isEqualTo(202);
        assertThat(states(onlyFailed.json())).containsExactly("RUNNING", "RUNNING", "RUNNING");
    }

    private static Map<String, String> sink(String topics) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", CountingSinkConnector.class.getName());
        config.put("topics", topics);
        return config;
    }

    /** The connector's state, then each task's. */
    private static List<String> states(JsonNode status) {
        List<String> states = new ArrayList<>();
        states.add(status.path("connector").path("state").asText());
        status.path("tasks").forEach(t -> states.add(t.path("state").asText()));
        return states;
    }

    private static List<String> errorsOf(JsonNode validation, String name) {
        List<String> errors = new ArrayList<>();
        validation.get("configs").forEach(c -> {
            if (c.path("value").path("name").asText().equals(name)) {
                c.path("value").path("errors").forEach(e -> errors.add(e.asText()));
            }
        });
        return errors;
    }
}
