package io.sluice.worker.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.status.TargetState;
import io.sluice.worker.TestWorker;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web UI in real headless Chromium against an in-process worker: every step an operator takes
 * goes through the browser; the worker is only used to set up connectors the test is not about.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiIT {

    private Path dir;
    private TestWorker worker;
    private Browser browser;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("sluice-ui-it");
        worker = TestWorker.start(dir);
        browser = new Browser("http://127.0.0.1:" + worker.port());
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    private void createThroughTheApi(String name, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of(
                "connector.class", SequenceSourceConnector.class.getName(),
                "topic", name + "-topic",
                "tasks.max", "1",
                "batch.size", "10",
                "poll.delay.ms", "100"));
        config.putAll(extra);
        worker.connectors().createConnector(name, config, TargetState.STARTED);
    }

    private void openConnector(String name) {
        browser.open("#/connectors/" + name);
        browser.find("#connector-state");
    }

    @Test
    void shouldServeTheIndexPageAtUiAndKeepTheRootForApiClients() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/ui", "/ui/"}) {
            HttpResponse<String> page = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Sluice</title>");
        }
        HttpResponse<String> root = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + worker.port() + "/"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(root.body()).contains("\"version\"").contains("kafka_cluster_id");
    }

    @Test
    void shouldShowAValidationErrorBesideTheFieldThenCreateTheConnectorAndWatchItRun() {
        browser.open("#/new");
        browser.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#plugin option[value='" + SequenceSourceConnector.class.getName() + "']")));
        new Select(browser.find("#plugin")).selectByValue(SequenceSourceConnector.class.getName());
        browser.find("#f-topic");
        browser.find("#name").sendKeys("ui-created");
        browser.find("#f-poll\\.delay\\.ms").sendKeys("100");
        browser.click("#create");

        browser.waitForText("#f-topic-err", "Missing required configuration \"topic\"");
        assertThat(browser.attribute("#f-topic", "aria-invalid")).isEqualTo("true");
        assertThat(browser.text("#errors")).contains("topic");
        browser.screenshot("01-create-validation-error");

        browser.find("#f-topic").sendKeys("ui-created-topic");
        browser.click("#create");

        browser.until(ExpectedConditions.urlContains("#/connectors/ui-created"));
        browser.waitForText("#connector-state", "RUNNING");
        browser.waitForText("tr[data-task='0']", "RUNNING");
        browser.waitForText("#topics", "ui-created-topic");
        browser.screenshot("02-created-connector-running");

        browser.open("#/");
        browser.waitForText("tr[data-connector='ui-created']", "RUNNING");
        browser.screenshot("03-connectors-list");
    }

    @Test
    void shouldPauseAndResumeAConnector() {
        createThroughTheApi("ui-pause", Map.of());
        openConnector("ui-pause");
        browser.waitForText("#connector-state", "RUNNING");

        browser.click("#pause");
        browser.waitForText("#connector-state", "PAUSED");
        browser.waitForText("tr[data-task='0']", "PAUSED");
        browser.screenshot("04-connector-paused");

        browser.click("#resume");
        browser.waitForText("#connector-state", "RUNNING");
    }

    @Test
    void shouldShowAFailedTasksTraceAndRestartIt() {
        createThroughTheApi(
                "ui-fail", Map.of("fail.at", "20", "fail.attempts", "1", "sluice.restart.max.attempts", "0"));

        browser.open("#/");
        browser.waitForText("#failing", "ui-fail");
        browser.screenshot("05-overview-with-failed-connector");

        browser.click("#failing a");
        browser.waitForText("tr[data-task='0']", "FAILED");
        browser.click("tr[data-task='0'] details summary");
        browser.waitForText("tr[data-task='0'] pre.trace", "planned failure at record 20");
        assertThat(browser.text("tr[data-task='0'] pre.trace")).contains("IllegalStateException");
        browser.screenshot("06-failed-task-trace");

        browser.click("tr[data-task='0'] button.restart-task");
        browser.waitForText("tr[data-task='0']", "RUNNING");
        browser.waitForText("section[aria-labelledby='restarts-h']", "restart requested");
        assertThat(browser.attribute("tr[data-task='0'] svg.sparkline", "aria-label"))
                .startsWith("Task 0 records per second: latest");
        browser.screenshot("07-task-restarted");
    }

    @Test
    void shouldDeleteAConnectorOnlyAfterConfirmation() {
        createThroughTheApi("ui-delete", Map.of());
        openConnector("ui-delete");
        browser.waitForText("#connector-state", "RUNNING");

        browser.click("#delete");
        browser.find("#delete-dialog");
        browser.screenshot("08-delete-confirmation");
        browser.click("#confirm-delete");

        browser.until(ExpectedConditions.urlMatches(".*#/$"));
        browser.find("#connector-count");
        browser.until(
                ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("tr[data-connector='ui-delete']")));
        assertThat(worker.connectors().connectorNames()).doesNotContain("ui-delete");
    }

    @Test
    void shouldFitANarrowScreen() {
        createThroughTheApi("ui-narrow", Map.of());
        try {
            browser.resize(390, 844);
            browser.open("#/");
            browser.waitForText("tr[data-connector='ui-narrow']", "RUNNING");
            Long overflow = (Long)
                    browser.driver().executeScript("return document.documentElement.scrollWidth - window.innerWidth");
            assertThat(overflow).isLessThanOrEqualTo(0L);
            browser.screenshot("09-narrow-connectors-list");
        } finally {
            browser.resize(1280, 900);
        }
    }
}
