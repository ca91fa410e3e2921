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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees over REST (and Prometheus) of S3 sinks, against a real S3 API server.
 *
 * <p>Failures: a
 * missing bucket and a wrong secret key are refused at validate and create, naming the setting; a
 * bucket that goes away later fails the task within a minute with a trace naming the cause and the
 * setting to fix, and the connector's {@code health} is FAILED although its own state stays Kafka
 * Connect's RUNNING; an outage of the store keeps the task RUNNING but {@code retrying} with
 * the error and since when, and clears once the store is back and the records are written.
 *
 * <p>Lag: the records a sink has not written to the bucket (buffered in an open object included)
 * are its lag, in REST per partition and in Prometheus, and their age is its time lag. Flush on
 * quiet: with {@code rotate.schedule.interval.ms} the last records of a topic that stops are
 * written without any new record coming, and the lag drops to 0.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class S3SinkOperatorIT {

    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(60);
    /** Records the quiet topic gets, then no more: 4 objects of 20 and 15 records left over. */
    private static final int QUIET_RECORDS = 95;

    private static final int FLUSH_SIZE = 20;

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
        Map<String, String> quiet = new LinkedHashMap<>(source);
        quiet.put("topic", "quiet");
        quiet.put("count", Integer.toString(QUIET_RECORDS));
        assertThat(http.post("/connectors", Http.json(Map.of("name", "quiet-src", "config", quiet)))
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
        Http.Response created = http.post("/connectors", Http.json(Map.of("name", name, "config", config)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
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
    void shouldFailTheTaskNamingTheBucketWhenItGoesAwayAfterCreation() {
        String bucket = s3.createBucket("lake-gone");
        Map<String, String> config = sink(bucket, S3Fixture.SECRET_KEY);
        config.put("topics", "late");
        create("lake-missing", config);
        s3.client().deleteBucket(b -> b.bucket(bucket));
        Map<String, String> source = moreOrders();
        source.put("topic", "late");
        create("late-src", source);

        JsonNode status = awaitFailedTask("lake-missing");

        assertThat(status.get("tasks").get(0).get("trace").asText())
                .contains("NoSuchBucket")
                .contains("'" + bucket + "' does not exist")
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

        // what the shipped alert rules and dashboard alert on
        String prometheus = http.get("/actuator/prometheus").text();
        assertThat(prometheus)
                .contains("sluice_task_failures_total{connector=\"lake-missing\","
                        + "exception=\"software.amazon.awssdk.services.s3.model.NoSuchBucketException\",task=\"0\"}");
        await().atMost(SHOWN_WITHIN)
                .untilAsserted(() -> assertThat(http.get("/actuator/prometheus").text())
                        .contains("sluice_task_state{connector=\"lake-missing\",state=\"FAILED\",task=\"0\"} 1.0"));
        await().atMost(SHOWN_WITHIN)
                .untilAsserted(
                        () -> assertThat(http.get("/actuator/prometheus").text())
                                .contains(
                                        "sluice_task_restarts_total{cause=\"automatic\",connector=\"lake-missing\",task=\"0\"}"));
    }

    /**
     * Every sluice_* series the shipped alert rules and dashboard query exists, once the other tests
     * made tasks fail, restart, retry and upload (CDC's metrics only with a CDC connector, the
     * Elasticsearch sink's only with that sink).
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void shouldExportEveryMetricTheShippedAlertRulesAndDashboardUse() {
        String exported = http.get("/actuator/prometheus").text();
        for (String file : List.of("../ops/prometheus/sluice-alerts.yml", "../ops/grafana/sluice-dashboard.json")) {
            String text;
            try {
                text = java.nio.file.Files.readString(Path.of(file));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("sluice_[a-z0-9_]+").matcher(text);
            java.util.Set<String> names = new java.util.TreeSet<>();
            while (m.find()) {
                names.add(m.group());
            }
            // exported while a Postgres CDC connector runs (CdcPipelineIT checks both)
            names.remove("sluice_cdc_slot_lag_bytes");
            names.remove("sluice_cdc_lag_seconds");
            // exported while an Elasticsearch sink task runs, through the same plugin-metrics export as S3's
            names.remove("sluice_plugin_es_bulk_requests_total");
            names.remove("sluice_plugin_es_bulk_failures_total");
            assertThat(names).as(file).isNotEmpty();
            assertThat(names)
                    .as("metrics %s refers to", file)
                    .allSatisfy(name -> assertThat(exported).contains("\n" + name + "{"));
        }
    }

    @Test
    void shouldRefuseAtCreateAnElasticsearchSinkWhoseNodeDoesNotAnswer() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closed;
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.sluice.connect.elasticsearch.ElasticsearchSinkConnector");
        config.put("topics", "orders");
        config.put("key.ignore", "true");
        config.put("connection.url", nowhere);

        Http.Response created = http.post("/connectors", Http.json(Map.of("name", "search-nowhere", "config", config)));

        created.isError(400);
        assertThat(created.text())
                .contains("connection.url")
                .contains("Elasticsearch does not answer at " + nowhere)
                .contains("Connection refused");
        assertThat(http.get("/connectors/search-nowhere").status()).isEqualTo(404);
    }

    @Test
    void shouldRefuseAtValidateAndCreateAMissingBucketOrAWrongSecretNamingTheField() {
        String bucket = s3.createBucket("lake-secret");
        String wrong = "not-the-secret-" + System.nanoTime();

        Http.Response created =
                http.post("/connectors", Http.json(Map.of("name", "lake-wrong-secret", "config", sink(bucket, wrong))));
        created.isError(400);
        assertThat(created.text()).contains("aws.secret.access.key").contains("SignatureDoesNotMatch");
        assertThat(created.text()).doesNotContain(wrong);
        assertThat(http.get("/connectors/lake-wrong-secret").status()).isEqualTo(404);

        Map<String, String> missing = sink("no-such-lake", S3Fixture.SECRET_KEY);
        missing.put("name", "lake-missing-bucket");
        JsonNode validated = http.put(
                        "/connector-plugins/io.sluice.connect.s3.S3SinkConnector/config/validate", Http.json(missing))
                .json();
        assertThat(validated.get("error_count").asInt())
                .as(validated.toString())
                .isEqualTo(1);
        assertThat(errorsOf(validated, "s3.bucket.name")).contains("does not exist (NoSuchBucket)");
        assertThat(s3.keys(bucket)).isEmpty();
    }

    private static String errorsOf(JsonNode validated, String field) {
        for (JsonNode c : validated.get("configs")) {
            if (field.equals(c.get("value").get("name").asText())) {
                return c.get("value").get("errors").toString();
            }
        }
        throw new AssertionError("no " + field + " in " + validated);
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
            create("more-orders", moreOrders());
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

    @Test
    void shouldCountRecordsBufferedInAnOpenObjectAsLagUntilTheyAreWritten() {
        String bucket = s3.createBucket("lake-lag");
        Map<String, String> config = sink(bucket, S3Fixture.SECRET_KEY);
        config.put("topics", "quiet");
        config.put("flush.size", Integer.toString(FLUSH_SIZE));
        create("lake-lag", config);

        int written = QUIET_RECORDS / FLUSH_SIZE * FLUSH_SIZE;
        await().atMost(SHOWN_WITHIN).until(() -> linesIn(bucket) == written);
        // the 15 left over wait in an open object: not written, so lag
        long notWritten = QUIET_RECORDS - linesIn(bucket);
        await().atMost(SHOWN_WITHIN).until(() -> lagRecords("lake-lag") == notWritten);
        JsonNode partition = http.get("/hub/connectors/lake-lag/lag").json().get(0);
        assertThat(partition.get("task").asInt()).isZero();
        assertThat(partition.get("topic").asText()).isEqualTo("quiet");
        assertThat(partition.get("partition").asInt()).isZero();
        assertThat(partition.get("records").asLong()).isEqualTo(notWritten);
        // the oldest unwritten record keeps ageing while nothing writes it
        await().atMost(SHOWN_WITHIN)
                .until(() -> http.get("/hub/connectors/lake-lag/lag")
                                .json()
                                .get(0)
                                .get("oldest_unwritten_age_seconds")
                                .asDouble()
                        > 1.0);
        assertThat(http.get("/hub/connectors/lake-lag/rates").json().get("lag").asLong())
                .isEqualTo(notWritten);

        String prometheus = http.get("/actuator/prometheus").text();
        assertThat(prometheus.lines().filter(l -> l.startsWith("sluice_sink_lag")))
                .as("sink lag gauges")
                .isNotEmpty()
                .noneMatch(l -> l.endsWith("NaN"));
        assertThat(prometheus
                        .lines()
                        .filter(l -> l.startsWith("sluice_sink_lag{") && l.contains("connector=\"lake-lag\""))
                        .findFirst()
                        .orElseThrow())
                .endsWith(" " + notWritten + ".0");
        assertThat(prometheus)
                .contains("sluice_sink_partition_lag_records{")
                .contains("sluice_sink_lag_seconds{")
                .contains("sluice_plugin_s3_uploads_total{connector=\"lake-lag\",task=\"0\"} "
                        + (QUIET_RECORDS / FLUSH_SIZE) + ".0");
    }

    @Test
    void shouldWriteTheLastRecordsOfAQuietTopicOnScheduleAndLagDropsToZero() {
        String bucket = s3.createBucket("lake-quiet");
        Map<String, String> config = sink(bucket, S3Fixture.SECRET_KEY);
        config.put("topics", "quiet");
        config.put("flush.size", Integer.toString(FLUSH_SIZE));
        config.put("rotate.schedule.interval.ms", "2000");
        config.put("timezone", "UTC");
        create("lake-quiet", config);

        await().atMost(SHOWN_WITHIN).until(() -> linesIn(bucket) == QUIET_RECORDS);
        await().atMost(SHOWN_WITHIN).until(() -> lagRecords("lake-quiet") == 0);
        assertThat(http.get("/hub/connectors/lake-quiet/lag")
                        .json()
                        .get(0)
                        .get("oldest_unwritten_age_seconds")
                        .asDouble())
                .isZero();
    }

    private static long lagRecords(String connector) {
        JsonNode lag = http.get("/hub/connectors/" + connector + "/lag").json();
        return lag.size() == 0 ? -1 : lag.get(0).get("records").asLong();
    }

    private static long linesIn(String bucket) {
        return s3.readAll(bucket).values().stream()
                .mapToLong(o -> new String(o, java.nio.charset.StandardCharsets.UTF_8)
                        .lines()
                        .filter(l -> !l.isBlank())
                        .count())
                .sum();
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
