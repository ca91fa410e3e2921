package io.sluice.worker.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.plugin.PluginJarBuilder;
import io.sluice.worker.TestWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A worker whose plugin path holds a corrupt jar and a plugin naming a class it lacks: the overview
 * page in real headless Chromium lists each problem {@code GET /hub/plugins/problems} reports, with
 * its location, class, severity and message, while the rest of the page works as usual.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginProblemsUiIT {

    @TempDir
    static Path dir;

    private TestWorker worker;
    private Browser browser;

    @BeforeAll
    void start() throws Exception {
        Path pluginPath = Files.createDirectories(dir.resolve("plugins"));
        new PluginJarBuilder(dir)
                .source("com.example.gone.Placeholder", "package com.example.gone; public class Placeholder {}")
                .service(SourceConnector.class, "com.example.gone.GoneSourceConnector")
                .buildJar(pluginPath.resolve("names-a-missing-class.jar"));
        Files.write(pluginPath.resolve("corrupt.jar"), "not a zip".getBytes());
        worker = TestWorker.start(dir.resolve("data"), "sluice.plugin-path=" + pluginPath);
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

    @Test
    void shouldListEveryPluginThatCouldNotLoadOnTheOverview() throws Exception {
        JsonNode reported = new ObjectMapper()
                .readTree(HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + worker.port() + "/hub/plugins/problems"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
        assertThat(reported.size()).isGreaterThanOrEqualTo(2);

        browser.open("#/");
        browser.find("#plugin-problems");
        browser.waitForText("#plugin-problems h3", "not loaded");
        // the page around it still works
        browser.waitForText("#connector-count", "connectors");

        List<String> rows = new ArrayList<>();
        for (WebElement row : browser.driver().findElements(By.cssSelector("#plugin-problems tr.plugin-problem"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            rows.add(row.getAttribute("data-severity") + " | "
                    + Path.of(cells.get(1).getText()).getFileName() + " | "
                    + cells.get(2).getText());
            assertThat(cells.get(3).getText()).as("message").isNotBlank().doesNotContain("\tat ");
        }
        assertThat(rows)
                .hasSize(reported.size())
                .contains(
                        "error | names-a-missing-class.jar | com.example.gone.GoneSourceConnector",
                        "error | corrupt.jar | –");
        long errors = 0;
        for (JsonNode p : reported) {
            errors += "error".equals(p.get("severity").asText()) ? 1 : 0;
        }
        assertThat(browser.text("#plugin-problems h3")).contains(errors + " plugin problems: not loaded");
        assertThat(browser.text("#plugin-problems"))
                .contains(reported.get(0).get("message").asText())
                .contains("sluice.plugin-path");
        browser.screenshot("plugin-problems-overview");
    }
}
