package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.S3Fixture;
import io.sluice.worker.TestWorker;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees over REST when an S3 sink cannot write, against a real S3 API server: a
 * missing bucket and a wrong secret key fail the task within a minute with a trace naming the cause
 * and the setting to fix, and the connector's {@code health} is FAILED although its own state stays
 * Kafka Connect's RUNNING; an outage of the store keeps the task RUNNING but {@code retrying} with
 * the error and since when, and clears once the store is back and the records are written.
 */
class SinkFailureStatusIT {

    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static S3Fixture s3;
    static TestWorker worker;
    static Http http;

    @BeforeAll
    static void start() {
        s3 = S3Fixture.start();
        worker = TestWorker.start(dir);
        http = new Http(worker.port());
        Map<String, String> source = new LinkedHashMap<>();
        source.put("connector.class", SequenceSourceConnector.class.getName());
        source.put("topic", "orders");
        source.put("count", "200");
        source.put("batch.size", "10");
        source.put("tasks.max", "1");
        assertThat(http.post("/connectors", Http.json(Map.of("name", "orders-src", "config", source)))
                        .status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static Map<String, String> sink(String bucket, String secret) {
        Map<String, String> c = new LinkedHashMap<>(s3.connectorSettings(bucket));
        c.put("connector.class", "io.sluice.connect.s3.S3SinkConnector");
        c.put("topics", "orders");
        c.put("tasks.max", "1");
        c.put("format.class", "json");
        c.put("flush.size", "10");
        c.put("aws.secret.access.key", secret);
        // few SDK attempts per upload, so the test sees the task's own retries
        c.put("s3.part.retries", "1");
        c.put("s3.retry.backoff.ms", "100");
        c.put("s3.retry.backoff.max.ms", "1000");
        c.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
        return c;
    }

    private static void create(String name, Map<String, String> config) {
        assertThat(http.post("/connectors", Http.json(Map.of("name", name, "config", config)))
                        .status())
                .isEqualTo(201);
    }

    /** Waits until the connector's task 0 is FAILED, and returns the status seen then. */
    private static JsonNode awaitFailedTask(String name) {
        AtomicReference<JsonNode> seen = new AtomicReference<>();
        await().atMost(SHOWN_WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode status = http.get("/connectors/" + name + "/status").json();
            seen.set(status);
            JsonNode tasks = status.get("tasks");
            return tasks.size() > 0 && "FAILED".equals(tasks.get(0).get("state").asText());
        });
        return seen.get();
    }

    @Test
    void shouldFailTheTaskNamingTheMissingBucket() {
        create("lake-missing", sink("no-such-bucket", S3Fixture.SECRET_KEY));

        JsonNode status = awaitFailedTask("lake-missing");

        assertThat(status.get("tasks").get(0).get("trace").asText())
                .contains("NoSuchBucket")
                .contains("'no-such-bucket' does not exist")
                .contains("s3.bucket.name");
        assertThat(status.get("health").asText()).isEqualTo("FAILED");
        assertThat(status.get("connector").get("state").asText())
                .as("the connector's own state stays Kafka Connect's")
                .isEqualTo("RUNNING");
        assertThat(http.get("/connectors?expand=status")
                        .json()
                        .get("lake-missing")
                        .get("status")
                        .get("health")
                        .asText())
                .isEqualTo("FAILED");
    }

    @Test
    void shouldFailTheTaskNamingAWrongSecretKeyWithoutShowingIt() {
        String bucket = s3.createBucket("lake-secret");
        String wrong = "not-the-secret-" + System.nanoTime();
        create("lake-wrong-secret", sink(bucket, wrong));

        JsonNode status = awaitFailedTask("lake-wrong-secret");

        String trace = status.get("tasks").get(0).get("trace").asText();
        assertThat(trace).contains("SignatureDoesNotMatch").contains("aws.secret.access.key");
        assertThat(status.toString()).doesNotContain(wrong);
        assertThat(status.get("health").asText()).isEqualTo("FAILED");
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void shouldShowRetryingWithTheErrorWhileTheStoreIsDownAndCatchUpAfter() {
        String bucket = s3.createBucket("lake-outage");
        create("lake-outage", sink(bucket, S3Fixture.SECRET_KEY));
        await().atMost(SHOWN_WITHIN).until(() -> s3.keys(bucket).size() >= 20);

        Instant stopped = Instant.now();
        s3.stop();
        JsonNode task;
        try {
            // the source keeps going; the next object cannot be uploaded
            http.post("/connectors", Http.json(Map.of("name", "more-orders", "config", moreOrders())));
            AtomicReference<JsonNode> seen = new AtomicReference<>();
            await().atMost(SHOWN_WITHIN).pollInterval(Duration.ofMillis(200)).until(() -> {
                JsonNode status = http.get("/connectors/lake-outage/status").json();
                seen.set(status);
                return status.get("tasks").get(0).has("retrying");
            });
            JsonNode status = seen.get();
            task = status.get("tasks").get(0);
            assertThat(task.get("state").asText()).isEqualTo("RUNNING");
            assertThat(status.get("health").asText()).isEqualTo("DEGRADED");
            assertThat(task.get("retrying").get("error").asText())
                    .contains("S3 uploads to bucket '" + bucket + "' are failing")
                    .contains("Unable to execute HTTP request");
            Instant since = Instant.parse(task.get("retrying").get("since").asText());
            assertThat(since).isAfterOrEqualTo(stopped.minusSeconds(1)).isBeforeOrEqualTo(Instant.now());
            // it stays retrying and keeps its first "since" while the store is down
            await().pollDelay(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> true);
            JsonNode later = http.get("/connectors/lake-outage/tasks/0/status").json();
            assertThat(later.get("state").asText()).isEqualTo("RUNNING");
            assertThat(later.get("retrying").get("since").asText())
                    .isEqualTo(task.get("retrying").get("since").asText());
        } finally {
            s3.restart();
        }

        await().atMost(SHOWN_WITHIN).until(() -> {
            JsonNode status = http.get("/connectors/lake-outage/status").json();
            return !status.get("tasks").get(0).has("retrying")
                    && "HEALTHY".equals(status.get("health").asText());
        });
        await().atMost(SHOWN_WITHIN).until(() -> s3.keys(bucket).size() >= 40);
    }

    private static Map<String, String> moreOrders() {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("connector.class", SequenceSourceConnector.class.getName());
        source.put("topic", "orders");
        source.put("count", "200");
        source.put("batch.size", "10");
        source.put("tasks.max", "1");
        return source;
    }
}
