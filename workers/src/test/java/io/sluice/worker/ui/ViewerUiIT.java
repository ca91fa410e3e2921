package io.sluice.worker.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.status.TargetState;
import io.sluice.worker.TestWorker;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The web UI in headless Chromium with authentication on: a viewer sees connectors and the audit
 * trail but no action buttons; an operator sees pause and restart but not delete or edit.
 */
class ViewerUiIT {

    @TempDir
    Path dir;

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static void signIn(Browser browser, String user, String password) {
        browser.driver().executeCdpCommand("Network.enable", Map.of());
        browser.driver()
                .executeCdpCommand(
                        "Network.setExtraHTTPHeaders",
                        Map.of("headers", Map.of("Authorization", basic(user, password))));
    }

    @Test
    void shouldShowAViewerConnectorsAndAuditButNoActions() throws Exception {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        Path users = Files.writeString(
                dir.resolve("users"),
                "vera:" + bcrypt.encode("v") + ":viewer\notto:" + bcrypt.encode("o") + ":operator\nada:"
                        + bcrypt.encode("a") + ":admin\n");
        try (TestWorker worker = TestWorker.start(dir.resolve("data"), "sluice.security.users-file=" + users);
                Browser browser = new Browser("http://127.0.0.1:" + worker.port())) {
            worker.connectors()
                    .createConnector(
                            "watched",
                            Map.of(
                                    "connector.class", SequenceSourceConnector.class.getName(),
                                    "topic", "watched-topic",
                                    "poll.delay.ms", "100"),
                            TargetState.STARTED);
            HttpResponse<String> paused = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + worker.port() + "/connectors/watched/pause"))
                                    .header("Authorization", basic("ada", "a"))
                                    .PUT(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(paused.statusCode()).isEqualTo(202);

            signIn(browser, "vera", "v");
            browser.open("#/connectors/watched");
            browser.waitForText("#connector-state", "PAUSED");
            browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-role='viewer']")));
            browser.waitForText("#whoami", "vera (viewer)");
            for (String action : new String[] {"#pause", "#resume", "#restart", "#delete", "#edit-config"}) {
                assertThat(browser.driver().findElement(By.cssSelector(action)).isDisplayed())
                        .as(action)
                        .isFalse();
            }
            assertThat(browser.driver()
                            .findElement(By.cssSelector("[data-nav='new']"))
                            .isDisplayed())
                    .isFalse();
            browser.screenshot("viewer-connector");

            browser.open("#/audit");
            browser.waitForText("tbody", "PUT /connectors/watched/pause");
            assertThat(browser.text("tbody")).contains("ada").contains("202");
            browser.screenshot("viewer-audit");

            signIn(browser, "otto", "o");
            browser.driver().get("about:blank"); // a new page load, so the UI asks who is signed in again
            browser.open("#/connectors/watched");
            browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("body[data-role='operator']")));
            browser.find("#resume");
            assertThat(browser.driver().findElement(By.cssSelector("#delete")).isDisplayed())
                    .isFalse();
            browser.click("#resume");
            browser.waitForText("#connector-state", "RUNNING");
        }
    }
}
