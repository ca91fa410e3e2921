package io.sluice.worker.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.status.TargetState;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.S3Fixture;
import io.sluice.testing.TestDatabase;
import io.sluice.worker.CdcConfigs;
import io.sluice.worker.TestWorker;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What an on-call operator sees in real headless Chromium when sinks cannot write to a real S3 API
 * server: a sink whose task FAILED (its bucket went away) is FAILED in the list and on its page although
 * the connector itself is RUNNING (never green), with the cause in the trace; a sink whose store is
 * down shows RETRYING with the error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorUiIT {

    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(60);

    private Path dir;
    private S3Fixture s3;
    private TestWorker worker;
    private Browser browser;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("sluice-operator-ui-it");
        s3 = S3Fixture.start();
        worker = TestWorker.start(dir);
        browser = new Browser("http://127.0.0.1:" + worker.port());
        worker.connectors()
                .createConnector(
                        "shop-orders",
                        Map.of(
                                "connector.class", SequenceSourceConnector.class.getName(),
                                "topic", "shop-orders",
                                "tasks.max", "1",
                                "batch.size", "10",
                                "poll.delay.ms", "200"),
                        TargetState.STARTED);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private Map<String, String> sink(String bucket, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(s3.connectorSettings(bucket));
        c.put("connector.class", "io.sluice.connect.s3.S3SinkConnector");
        c.put("topics", "shop-orders");
        c.put("tasks.max", "1");
        c.put("format.class", "json");
        c.put("flush.size", "10");
        c.put("s3.part.retries", "1");
        c.put("s3.retry.backoff.ms", "100");
        c.put("s3.retry.backoff.max.ms", "1000");
        c.putAll(extra);
        return c;
    }

    private void awaitText(String css, String text) {
        await().atMost(SHOWN_WITHIN)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> browser.text(css).contains(text));
    }

    @Test
    void shouldNeverShowASinkWithAFailedTaskAsGreen() {
        // the bucket exists when the sink is created (validation tries it), then goes away
        String bucket = s3.createBucket("ui-gone");
        worker.connectors()
                .createConnector(
                        "lake-no-bucket",
                        sink(bucket, Map.of("topics", "ui-late", "sluice.restart.max.attempts", "0")),
                        TargetState.STARTED);
        s3.client().deleteBucket(b -> b.bucket(bucket));
        worker.connectors()
                .createConnector(
                        "ui-late",
                        Map.of(
                                "connector.class", SequenceSourceConnector.class.getName(),
                                "topic", "ui-late",
                                "tasks.max", "1",
                                "batch.size", "10",
                                "poll.delay.ms", "200"),
                        TargetState.STARTED);

        browser.open("#/");
        awaitText("tr[data-connector='lake-no-bucket']", "FAILED");
        assertThat(browser.text("tr[data-connector='lake-no-bucket']")).doesNotContain("RUNNING");
        assertThat(worker.connectors()
                        .connectorStatus("lake-no-bucket")
                        .connector()
                        .state()
                        .name())
                .as("the connector's own (Kafka Connect) state")
                .isEqualTo("RUNNING");
        browser.waitForText("#failing", "lake-no-bucket");
        browser.screenshot("op-01-overview-failed-sink");

        browser.open("#/connectors/lake-no-bucket");
        awaitText("#connector-state", "FAILED");
        browser.waitForText("tr[data-task='0']", "FAILED");
        // the cause is readable without opening the trace
        awaitText("tr[data-task='0'] .trace-cause", "'" + bucket + "' does not exist (NoSuchBucket)");
        assertThat(browser.text("tr[data-task='0'] .trace-cause")).contains("s3.bucket.name");
        browser.click("tr[data-task='0'] details summary");
        awaitText("tr[data-task='0'] pre.trace", "PermanentStoreException");
        browser.screenshot("op-02-failed-sink-trace");
    }

    @Test
    void shouldBrowseDecodedCdcRowsSeekingByOffsetAndSearchingThePage() throws Exception {
        try (TestDatabase db = PostgresFixture.shared().newDatabase()) {
            try (Connection c = db.openConnection();
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL)");
                st.execute(
                        "INSERT INTO customers VALUES (1, 'Ada Lovelace'), (2, 'Grace Hopper'), (3, 'Edsger Dijkstra')");
            }
            String slot = "ui_" + Long.toHexString(System.nanoTime());
            Map<String, String> cdc = CdcConfigs.postgres(db, "uicdc", "public.customers", slot, slot);
            cdc.put("plugin.name", "pgoutput");
            worker.connectors().createConnector("ui-cdc", cdc, TargetState.STARTED);
            String topic = "uicdc.public.customers";
            await().atMost(SHOWN_WITHIN)
                    .ignoreExceptions()
                    .until(() -> worker.log().partition(topic, 0).highWatermark() >= 3);

            browser.open("#/topics/" + topic);
            browser.find("#seek-offset").sendKeys("1");
            browser.click("#peek");
            awaitText("#records-status", "from offset 1");
            String row = browser.text("tr[data-offset='1']");
            // the envelope's payload, not its schema: the row as it was read, with Debezium's op
            assertThat(row).contains("\"name\": \"Grace Hopper\"").contains("\"op\": \"r\"");
            // (the payload's source block has a "schema": "public" of its own; the converter's schema has fields)
            assertThat(row).doesNotContain("\"fields\"").doesNotContain("\"optional\"");
            assertThat(browser.driver().findElements(org.openqa.selenium.By.cssSelector("tr[data-offset='0']")))
                    .as("seeking to offset 1 starts there")
                    .isEmpty();
            browser.screenshot("op-04-message-browser-cdc-row");

            browser.find("#seek-offset").clear();
            browser.find("#seek-offset").sendKeys("0");
            browser.click("#peek");
            awaitText("#records-status", "from offset 0");
            browser.find("#page-search").sendKeys("Dijkstra");
            await().atMost(SHOWN_WITHIN)
                    .until(() -> browser.driver()
                                    .findElements(org.openqa.selenium.By.cssSelector("tr[data-offset]"))
                                    .size()
                            == 1);
            assertThat(browser.text("tr[data-offset]")).contains("Edsger Dijkstra");
            worker.connectors().deleteConnector("ui-cdc");
        }
    }

    @Test
    void shouldShowRetryingWithTheErrorWhileTheStoreIsDown() {
        String bucket = s3.createBucket("ui-outage");
        worker.connectors().createConnector("lake-outage", sink(bucket, Map.of()), TargetState.STARTED);
        await().atMost(SHOWN_WITHIN).until(() -> !s3.keys(bucket).isEmpty());

        s3.stop();
        try {
            browser.open("#/connectors/lake-outage");
            awaitText("#connector-state", "RETRYING");
            awaitText("tr[data-task='0']", "Unable to execute HTTP request");
            assertThat(browser.text("tr[data-task='0']")).contains("RETRYING").contains("since");
            // records the sink took but could not upload are lag, per partition
            await().atMost(SHOWN_WITHIN)
                    .ignoreExceptions()
                    .until(() ->
                            Long.parseLong(browser.text("#partition-lag tr[data-lag='shop-orders-0'] td:nth-child(4)")
                                            .replace(",", ""))
                                    > 0);
            browser.screenshot("op-03-sink-retrying-store-down");
            browser.open("#/");
            awaitText("tr[data-connector='lake-outage']", "RETRYING");
        } finally {
            s3.restart();
        }
        browser.open("#/connectors/lake-outage");
        awaitText("#connector-state", "RUNNING");
    }
}
