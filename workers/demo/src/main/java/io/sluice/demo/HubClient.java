package io.sluice.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The few calls the demo makes to the hub's REST API, exactly as a user's script would. Thread-safe.
 */
final class HubClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HubClient(String base) {
        this.base = base;
    }

    String base() {
        return base;
    }

    /** True once the hub answers {@code GET /}. */
    boolean isUp() {
        try {
            return send(HttpRequest.newBuilder(uri("/")).GET()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code POST /connectors}; throws with the hub's error message unless it answers 201. */
    void create(String requestJson) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/connectors"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestJson)));
        if (response.statusCode() != 201) {
            throw new IOException("POST /connectors answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The body of {@code GET path} when it answers 200. */
    Optional<JsonNode> get(String path) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
        return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
    }

    /** Records appended so far to {@code topic} (sum of its partitions' end offsets); 0 before it exists. */
    long records(String topic) throws IOException {
        long total = 0;
        for (JsonNode partition :
                get("/hub/topics/" + topic).map(t -> t.path("partitions")).orElse(JSON.createArrayNode())) {
            total += partition.path("end_offset").asLong();
        }
        return total;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted calling the hub", e);
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }
}
