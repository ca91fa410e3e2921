package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.TestWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's built-in file connectors stay below {@code sluice.file-connectors.allowed-paths}: a path
 * outside, or a link leading outside, is refused with a 400 naming {@code file} at validate, create
 * and change, and a task whose file became a link outside fails to start. {@code ${file:...}}
 * references resolve only below the provider's {@code allowed.paths}, and no error echoes a
 * resolved value.
 */
class FileConnectorsIT {

    @TempDir
    static Path dir;

    static Path allowed;
    static Path secrets;
    static TestWorker worker;
    static Http http;

    static final String SECRET = "sup3r-s3cret-value";

    @BeforeAll
    static void start() throws Exception {
        allowed = Files.createDirectories(dir.resolve("files"));
        secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("app.properties"), "count=" + SECRET + "\n");
        worker = TestWorker.start(
                dir.resolve("data"),
                "sluice.file-connectors.allowed-paths=" + allowed,
                "sluice.connect.config.providers=file,open",
                "sluice.connect.config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                "sluice.connect.config.providers.file.param.allowed.paths=" + secrets,
                // a provider without allowed.paths: what it resolves must still never be echoed
                "sluice.connect.config.providers.open.class=org.apache.kafka.common.config.provider.FileConfigProvider");
        http = new Http(worker.port());
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    static String source(String name, String file) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "FileStreamSource");
        config.put("file", file);
        config.put("topic", name + "-topic");
        return Http.json(Map.of("name", name, "config", config));
    }

    static String sink(String name, String file) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "FileStreamSink");
        config.put("file", file);
        config.put("topics", name + "-topic");
        return Http.json(Map.of("name", name, "config", config));
    }

    static void assertRefusedFile(Http.Response r) {
        r.isError(400);
        assertThat(r.text()).contains("file").contains("sluice.file-connectors.allowed-paths");
        assertThat(r.text()).doesNotContain("root:");
    }

    @Test
    void shouldRefuseEtcShadowAndEtcPasswdAtCreateAndValidate() {
        assertRefusedFile(http.post("/connectors", source("shadow", "/etc/shadow")));
        assertRefusedFile(http.post("/connectors", source("passwd", "/etc/passwd")));
        assertRefusedFile(http.post("/connectors", sink("cron", "/etc/cron.d/evil")));
        assertRefusedFile(http.post("/connectors", source("climb", allowed + "/../../etc/shadow")));
        http.get("/connectors/shadow").isError(404);

        JsonNode validation = http.put(
                        "/connector-plugins/FileStreamSource/config/validate",
                        Http.json(Map.of("connector.class", "FileStreamSource", "file", "/etc/shadow", "topic", "t")))
                .json();
        assertThat(validation.path("error_count").asInt()).isPositive();
        String fileErrors = "";
        for (JsonNode config : validation.path("configs")) {
            if (config.path("value").path("name").asText().equals("file")) {
                fileErrors = config.path("value").path("errors").toString();
            }
        }
        assertThat(fileErrors).contains("allowed-paths");
    }

    @Test
    void shouldRefuseALinkLeadingOutsideAndAChangeToAPathOutside() throws Exception {
        Path link = allowed.resolve("innocent.txt");
        Files.createSymbolicLink(link, Path.of("/etc/shadow"));
        assertRefusedFile(http.post("/connectors", source("linked", link.toString())));
        Path dangling = allowed.resolve("later.txt");
        Files.createSymbolicLink(dangling, dir.resolve("outside-not-yet-there.txt"));
        assertRefusedFile(http.post("/connectors", sink("dangling", dangling.toString())));

        Path ok = Files.writeString(allowed.resolve("in.txt"), "one\n");
        assertThat(http.post("/connectors", source("moving", ok.toString())).status())
                .isEqualTo(201);
        assertRefusedFile(http.put(
                "/connectors/moving/config",
                Http.json(Map.of("connector.class", "FileStreamSource", "file", "/etc/shadow", "topic", "t"))));
        assertThat(http.delete("/connectors/moving").status()).isEqualTo(204);
    }

    @Test
    void shouldFailATaskWhoseFileBecameALinkOutside() throws Exception {
        Path file = Files.writeString(allowed.resolve("swapped.txt"), "one\n");
        assertThat(http.post("/connectors", source("swapped", file.toString())).status())
                .isEqualTo(201);
        awaitTaskState("swapped", "RUNNING");
        assertThat(http.put("/connectors/swapped/stop", null).status()).isEqualTo(204);
        Files.delete(file);
        Files.createSymbolicLink(file, Path.of("/etc/passwd"));
        assertThat(http.put("/connectors/swapped/resume", null).status()).isEqualTo(202);
        awaitTaskState("swapped", "FAILED");
        String trace = http.get("/connectors/swapped/status")
                .json()
                .path("tasks")
                .get(0)
                .path("trace")
                .asText();
        assertThat(trace).contains("allowed-paths").doesNotContain("root:x:0:0");
        assertThat(http.get("/hub/topics/swapped-topic/partitions/0/records").text())
                .doesNotContain("root:x:0:0");
    }

    private static void awaitTaskState(String name, String state) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode tasks = http.get("/connectors/" + name + "/status").json().path("tasks");
            return tasks.size() == 1 && state.equals(tasks.get(0).path("state").asText());
        });
    }

    @Test
    void shouldResolveFileReferencesOnlyBelowTheProvidersAllowedPathsAndNeverEchoThem() {
        Map<String, String> config = new LinkedHashMap<>();
        // tasks.max must be a number: the rejected value is quoted in the error message
        config.put("connector.class", "FileStreamSource");
        config.put("topic", "t");
        config.put("file", allowed.resolve("x.txt").toString());
        config.put("tasks.max", "${file:/etc/passwd:root}");
        Http.Response outside = http.post("/connectors", Http.json(Map.of("name", "ref-outside", "config", config)));
        outside.isError(400);
        assertThat(outside.text()).doesNotContain("x:0:0:root").doesNotContain("/bin/bash");

        config.put("tasks.max", "${file:" + secrets.resolve("app.properties") + ":count}");
        Http.Response inside = http.post("/connectors", Http.json(Map.of("name", "ref-inside", "config", config)));
        inside.isError(400);
        assertThat(inside.text()).contains("tasks.max").doesNotContain(SECRET);

        config.put("tasks.max", "${open:" + secrets.resolve("app.properties") + ":count}");
        Http.Response open = http.post("/connectors", Http.json(Map.of("name", "ref-open", "config", config)));
        open.isError(400);
        assertThat(open.text()).contains("tasks.max").doesNotContain(SECRET);
    }
}
