package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;

/** Plain HTTP calls to a worker's REST API for contract tests: no client library in between. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A response with its body parsed as JSON when it is JSON (else {@code json} is null). */
    record Response(int status, java.net.http.HttpHeaders headers, String text, JsonNode json) {

        /** Asserts Kafka Connect's error body with this status. */
        Response isError(int expected) {
            assertThat(status).as("status of %s", text).isEqualTo(expected);
            assertThat(headers.firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(json).as("error body %s", text).isNotNull();
            assertThat(json.get("error_code").isInt())
                    .as("error_code in %s", text)
                    .isTrue();
            assertThat(json.get("error_code").asInt()).isEqualTo(expected);
            assertThat(json.get("message").isTextual())
                    .as("message in %s", text)
                    .isTrue();
            assertThat(text).doesNotContain("\tat ").doesNotContain("Exception:");
            return this;
        }
    }

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    Http(int port) {
        this(port, null, null);
    }

    /** Calls sending HTTP basic credentials (none when {@code user} is null). */
    Http(int port, String user, String password) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = user == null
                ? null
                : "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(
                                        (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    String base() {
        return base;
    }

    Response get(String path) {
        return send("GET", path, null, null);
    }

    Response delete(String path) {
        return send("DELETE", path, null, null);
    }

    Response post(String path, String body) {
        return send("POST", path, body, "application/json");
    }

    Response put(String path, String body) {
        return send("PUT", path, body, "application/json");
    }

    Response patch(String path, String body) {
        return send("PATCH", path, body, "application/json");
    }

    Response send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                    && !r.body().isEmpty()) {
                json = JSON.readTree(r.body());
            }
            return new Response(r.statusCode(), r.headers(), r.body(), json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** JSON text of a value built from alternating keys and values. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The field names of an object node, in order. */
    static java.util.List<String> fields(JsonNode node) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
