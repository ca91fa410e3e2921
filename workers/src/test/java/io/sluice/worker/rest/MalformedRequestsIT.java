package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.TestWorker;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of generated bad requests (broken JSON, wrong JSON types, oversized bodies, odd names,
 * paths, methods, media types and query parameters) against a worker holding one connector: every
 * one gets a 4xx with Kafka Connect's error body, the worker stays healthy and the stored connector
 * does not change.
 */
class MalformedRequestsIT {

    @TempDir
    static Path dir;

    static TestWorker worker;
    static Http http;

    /** One generated request and what it is. */
    record Bad(String label, Supplier<Http.Response> call) {}

    @BeforeAll
    static void start() {
        worker = TestWorker.start(dir, "sluice.rest.max-body-size=256KB");
        http = new Http(worker.port());
        Map<String, Object> body = ConnectorsContractIT.source("src", "bad-input");
        assertThat(http.post("/connectors", Http.json(body)).status()).isEqualTo(201);
        ConnectorsContractIT.http = http;
        ConnectorsContractIT.awaitState("src", "RUNNING");
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    static final List<String> BROKEN_JSON = List.of(
            "{",
            "}",
            "[",
            "{\"name\":",
            "{\"name\":\"x\",}",
            "{'name':'x'}",
            "{\"name\":\"x\" \"config\":{}}",
            "{\"config\":{\"a\":\"b\"}",
            "nul",
            "tru",
            "{\"a\":01}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"unterminated}",
            "\u0000",
            "{\"a\":NaN}",
            "{\"a\":1e}",
            "{,}",
            "{\"a\" \"b\"}",
            "{\"a\":[1,2}",
            "<xml/>",
            "name=x&config=y",
            "{\"a\":\"b\"}}",
            "{\"a\":\"b\"} trailing",
            "{\"a\":\"1\",\"a\":\"2\"}",
            "\uFEFF\uFEFF{}",
            "{\"a\":\"b\"\n,\n\"c\":}",
            "");

    static final List<String> BODY_ENDPOINTS = List.of(
            "POST /connectors",
            "PUT /connectors/src/config",
            "PUT /connectors/fresh/config",
            "PATCH /connectors/src/config",
            "PUT /connector-plugins/SequenceSourceConnector/config/validate",
            "PATCH /connectors/src/offsets",
            "PUT /admin/loggers/io.sluice");

    static List<Bad> generate() {
        List<Bad> out = new ArrayList<>();
        for (String endpoint : BODY_ENDPOINTS) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            for (String body : BROKEN_JSON) {
                out.add(new Bad(endpoint + " <- " + body, () -> http.send(method, path, body, "application/json")));
            }
            for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
                out.add(new Bad(endpoint + " as " + type, () -> http.send(method, path, "{}", type)));
            }
            out.add(new Bad(endpoint + " without content type", () -> http.send(method, path, "{}", null)));
            String huge = "{\"k\":\"" + "x".repeat(300 * 1024) + "\"}";
            out.add(new Bad(endpoint + " huge", () -> http.send(method, path, huge, "application/json")));
            out.add(new Bad(endpoint + " huge chunked", () -> chunked(method, path, huge)));
        }
        String valid = "\"connector.class\":\"" + SequenceSourceConnector.class.getName() + "\",\"topic\":\"t\"";
        for (String body : List.of(
                "[]",
                "\"x\"",
                "1",
                "true",
                "null",
                "{}",
                "{\"name\":\"a\",\"config\":\"x\"}",
                "{\"name\":\"a\",\"config\":[]}",
                "{\"name\":[\"a\"],\"config\":{" + valid + "}}",
                "{\"name\":{\"a\":1},\"config\":{" + valid + "}}",
                "{\"name\":\"a\"}",
                "{\"config\":{" + valid + "}}",
                "{\"name\":\"a\",\"config\":{\"k\":[1]}}",
                "{\"name\":\"a\",\"config\":{\"k\":{\"x\":1}}}",
                "{\"name\":\"a\",\"config\":{" + valid + ",\"k\":null}}",
                "{\"name\":\"a\",\"config\":{" + valid + "},\"initial_state\":\"NOPE\"}",
                "{\"name\":\"a\",\"config\":{" + valid + "},\"initial_state\":[1]}",
                "{\"name\":\"a\",\"config\":{" + valid + ",\"name\":\"b\"}}",
                "{\"name\":\"a\",\"config\":{\"connector.class\":\"NoSuchConnector\"}}",
                "{\"name\":\"a\",\"config\":{" + valid + ",\"batch.size\":\"0\",\"tasks.max\":\"x\"}}",
                "{\"name\":\"src\",\"config\":{" + valid + "}}")) {
            out.add(new Bad("POST /connectors <- " + body, () -> http.post("/connectors", body)));
        }
        for (String name : List.of(
                "", "   ", "a/b", "a\u0000b", "a\nb", "tab\there", "bell\u0007", "x".repeat(250), "nel\u0085")) {
            String body = Http.json(
                    Map.of("name", name, "config", Map.of("connector.class", "SequenceSource", "topic", "t")));
            out.add(new Bad(
                    "POST /connectors with name " + name.length() + " chars", () -> http.post("/connectors", body)));
        }
        for (String body : List.of(
                "[]", "\"x\"", "{\"k\":[1]}", "{\"k\":{\"a\":1}}", "{\"k\":null}", "{\"name\":\"other\"}", "{}")) {
            out.add(new Bad("PUT src config <- " + body, () -> http.put("/connectors/src/config", body)));
            out.add(new Bad("PUT fresh config <- " + body, () -> http.put("/connectors/fresh/config", body)));
        }
        for (String body : List.of(
                "[]",
                "{\"connector.class\":\"NoSuchConnector\"}",
                "{\"batch.size\":\"0\"}",
                "{\"name\":\"other\"}",
                "{\"connector.class\":null}",
                "{\"topic\":[\"a\"]}",
                "{\"secret.password\":\"[hidden]\"}")) {
            out.add(new Bad("PATCH src config <- " + body, () -> http.patch("/connectors/src/config", body)));
        }
        for (String body : List.of(
                "[]",
                "{}",
                "{\"offsets\":\"x\"}",
                "{\"offsets\":[]}",
                "{\"offsets\":[1]}",
                "{\"offsets\":[{\"offset\":{}}]}",
                "{\"offsets\":[{\"partition\":{\"a\":1},\"offset\":{}}]}")) {
            out.add(new Bad("PATCH offsets <- " + body, () -> http.patch("/connectors/src/offsets", body)));
        }
        for (String body : List.of("[]", "{}", "{\"level\":\"LOUD\"}", "{\"level\":[1]}", "{\"level\":null}")) {
            out.add(new Bad("PUT logger <- " + body, () -> http.put("/admin/loggers/io.sluice", body)));
        }
        for (String body : List.of("[]", "{\"k\":[1]}", "{\"connector.class\":\"CountingSinkConnector\"}")) {
            out.add(new Bad(
                    "validate <- " + body,
                    () -> http.put("/connector-plugins/SequenceSourceConnector/config/validate", body)));
        }
        for (String path : List.of(
                "/nope",
                "/hub/nope",
                "/connectors/src/nope",
                "/connectors/src/config/extra",
                "/connectors/missing",
                "/connectors/missing/status",
                "/connectors/missing/config",
                "/connectors/missing/tasks",
                "/connectors/missing/offsets",
                "/connectors/missing/topics",
                "/connectors/" + "y".repeat(300),
                "/connectors/a%2Fb",
                "/connectors/a%00b",
                "/connectors/%0A",
                "/connectors/%C3%A9",
                "/connectors/src/tasks/-1/status",
                "/connectors/src/tasks/abc/status",
                "/connectors/src/tasks/99999999999/status",
                "/connectors/src/tasks/5/status",
                "/connector-plugins/a/b/c",
                "/connector-plugins/NoSuchConnector/config",
                "/connector-plugins?connectorsOnly=2",
                "/admin",
                "/hub/topics/missing",
                "/hub/topics/bad-input/partitions/-1/records",
                "/hub/topics/bad-input/partitions/0/records?offset=abc",
                "/hub/topics/bad-input/partitions/0/records?limit=0",
                "/hub/connectors/missing/rates",
                "/error")) {
            out.add(new Bad("GET " + path, () -> http.get(path)));
        }
        for (String[] call : List.of(
                new String[] {"DELETE", "/"},
                new String[] {"POST", "/connector-plugins"},
                new String[] {"DELETE", "/connectors/src/status"},
                new String[] {"GET", "/connectors/src/restart"},
                new String[] {"PUT", "/connectors"},
                new String[] {"POST", "/connectors/src/config"},
                new String[] {"GET", "/connectors/src/pause"},
                new String[] {"POST", "/hub/topics"},
                new String[] {"PATCH", "/connectors/src"},
                new String[] {"DELETE", "/hub/workers"},
                new String[] {"POST", "/connectors/src/restart?includeTasks=maybe"},
                new String[] {"POST", "/connectors/src/restart?onlyFailed=2"},
                new String[] {"POST", "/connectors/src/tasks/abc/restart"},
                new String[] {"POST", "/connectors/missing/restart"},
                new String[] {"PUT", "/connectors/missing/pause"},
                new String[] {"PUT", "/connectors/missing/resume"},
                new String[] {"PUT", "/connectors/missing/stop"},
                new String[] {"DELETE", "/connectors/missing"},
                new String[] {"DELETE", "/connectors/src/offsets"},
                new String[] {"PUT", "/connectors/missing/topics/reset"})) {
            out.add(new Bad(call[0] + " " + call[1], () -> http.send(call[0], call[1], null, null)));
        }
        return out;
    }

    static Http.Response chunked(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(http.base() + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();
        return http.send(request);
    }

    @Test
    void shouldAnswerEveryMalformedRequestWithA4xxErrorBodyAndChangeNothing() {
        JsonNode before = http.get("/connectors?expand=info").json();
        List<Bad> requests = generate();
        assertThat(requests).hasSizeGreaterThanOrEqualTo(200);

        List<String> failures = new ArrayList<>();
        for (Bad bad : requests) {
            try {
                Http.Response r = bad.call().get();
                boolean ok = r.status() >= 400
                        && r.status() < 500
                        && r.json() != null
                        && r.json().path("error_code").asInt() == r.status()
                        && r.json().path("message").isTextual()
                        && !r.text().contains("\tat ");
                if (!ok) {
                    failures.add(bad.label() + " -> " + r.status() + " " + abbreviate(r.text()));
                }
            } catch (RuntimeException e) {
                failures.add(bad.label() + " -> " + e);
            }
        }
        assertThat(failures).as("requests not answered with a 4xx error body").isEmpty();

        assertThat(http.get("/health").status()).isEqualTo(200);
        assertThat(http.get("/connectors?expand=info").json()).isEqualTo(before);
        assertThat(http.get("/connectors").json().size()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "RUNNING"
                        .equals(http.get("/connectors/src/status")
                                .json()
                                .path("connector")
                                .path("state")
                                .asText()));
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
