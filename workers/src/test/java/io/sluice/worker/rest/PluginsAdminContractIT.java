package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.TestWorker;
import io.sluice.worker.testconnectors.CountingSinkConnector;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /}, {@code /health}, {@code /connector-plugins} and {@code /admin/loggers} against a
 * real worker: shapes of Kafka Connect 4.3's ServerInfo, WorkerStatus, PluginInfo, ConfigKeyInfo,
 * ConfigInfos and LoggerLevel.
 */
class PluginsAdminContractIT {

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
    void shouldServeServerInfoWithAClusterIdOfItsOwn() {
        Http.Response root = http.get("/");
        assertThat(root.status()).isEqualTo(200);
        assertThat(Http.fields(root.json())).startsWith("version", "commit", "kafka_cluster_id");
        assertThat(root.json().get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(root.json().get("commit").isTextual()).isTrue();
        assertThat(root.json().get("kafka_cluster_id").asText()).hasSizeGreaterThan(10);
        assertThat(http.get("/").json().get("kafka_cluster_id"))
                .isEqualTo(root.json().get("kafka_cluster_id"));

        Http.Response health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(Http.fields(health.json())).containsExactly("status", "message");
    }

    @Test
    void shouldListConnectorPluginsAndAllPlugins() {
        JsonNode connectors = http.get("/connector-plugins").json();
        assertThat(connectors.isArray()).isTrue();
        assertThat(connectors.toString())
                .contains(SequenceSourceConnector.class.getName())
                .contains(CountingSinkConnector.class.getName());
        connectors.forEach(p -> {
            assertThat(Http.fields(p)).startsWith("class", "type");
            assertThat(p.get("type").asText()).isIn("source", "sink");
        });
        JsonNode all = http.get("/connector-plugins?connectorsOnly=false").json();
        assertThat(all.size()).isGreaterThan(connectors.size());
        assertThat(all.toString()).contains("\"type\":\"transformation\"").contains("\"type\":\"converter\"");
        http.get("/connector-plugins?connectorsOnly=perhaps").isError(400);
    }

    @Test
    void shouldDescribeAPluginsConfig() {
        JsonNode defs = http.get("/connector-plugins/" + SequenceSourceConnector.class.getName() + "/config")
                .json();
        assertThat(defs.isArray()).isTrue();
        JsonNode first = defs.get(0);
        assertThat(Http.fields(first))
                .containsExactly(
                        "name",
                        "type",
                        "required",
                        "default_value",
                        "importance",
                        "documentation",
                        "group",
                        "order_in_group",
                        "width",
                        "display_name",
                        "dependents");
        assertThat(defs.toString()).contains("\"name\":\"topic\"");
        assertThat(http.get("/connector-plugins/SequenceSourceConnector/config").status())
                .isEqualTo(200);
        http.get("/connector-plugins/NoSuchConnector/config").isError(404);
    }

    @Test
    void shouldValidateAConfigReportingEveryErrorAtOnce() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", SequenceSourceConnector.class.getName());
        config.put("batch.size", "0");
        config.put("tasks.max", "many");
        Http.Response r = http.put(
                "/connector-plugins/" + SequenceSourceConnector.class.getName() + "/config/validate",
                Http.json(config));
        assertThat(r.status()).isEqualTo(200);
        JsonNode v = r.json();
        assertThat(Http.fields(v)).containsExactly("name", "error_count", "groups", "configs");
        assertThat(v.get("error_count").asInt()).isGreaterThanOrEqualTo(3);
        JsonNode entry = v.get("configs").get(0);
        assertThat(Http.fields(entry)).containsExactly("definition", "value");
        assertThat(Http.fields(entry.get("definition"))).contains("order_in_group", "default_value", "display_name");
        assertThat(Http.fields(entry.get("value")))
                .containsExactly("name", "value", "recommended_values", "errors", "visible");
        int errors = 0;
        for (JsonNode c : v.get("configs")) {
            errors += c.get("value").get("errors").size();
        }
        assertThat(errors).isEqualTo(v.get("error_count").asInt());

        Map<String, String> secret = new LinkedHashMap<>();
        secret.put("connector.class", CountingSinkConnector.class.getName());
        secret.put("topics", "t");
        secret.put("api.password", "validate-secret");
        Http.Response hidden = http.put("/connector-plugins/CountingSinkConnector/config/validate", Http.json(secret));
        assertThat(hidden.status()).isEqualTo(200);
        assertThat(hidden.text()).doesNotContain("validate-secret").contains("[hidden]");

        http.put("/connector-plugins/CountingSinkConnector/config/validate", Http.json(config))
                .isError(400);
    }

    @Test
    void shouldListGetAndSetLoggerLevels() {
        Http.Response list = http.get("/admin/loggers");
        assertThat(list.status()).isEqualTo(200);
        assertThat(Http.fields(list.json().get("root"))).containsExactly("level", "last_modified");

        Http.Response set = http.put("/admin/loggers/io.sluice.worker.rest.probe", "{\"level\":\"DEBUG\"}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().isArray()).isTrue();
        assertThat(set.json().toString()).contains("io.sluice.worker.rest.probe");

        JsonNode got = http.get("/admin/loggers/io.sluice.worker.rest.probe").json();
        assertThat(got.get("level").asText()).isEqualTo("DEBUG");
        assertThat(got.get("last_modified").isIntegralNumber()).isTrue();
        assertThat(http.get("/admin/loggers").json().has("io.sluice.worker.rest.probe"))
                .isTrue();

        http.put("/admin/loggers/io.sluice", "{}").isError(400);
        http.put("/admin/loggers/io.sluice", "{\"level\":\"LOUD\"}").isError(400);
    }
}
