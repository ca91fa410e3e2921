package io.sluice.worker.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven through Debian's chromedriver (Selenium Manager never runs), with
 * a fresh profile; screenshots go to {@code target/ui-screenshots/}. One instance per test class; not
 * thread-safe.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    Browser(String baseUrl) {
        this.baseUrl = baseUrl;
        try {
            profile = Files.createTempDirectory("sluice-ui-chromium");
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary("/usr/bin/chromium")
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
    }

    /** Opens {@code /ui/} plus the given hash route, e.g. {@code #/new}. */
    void open(String route) {
        driver.get(baseUrl + "/ui/" + route);
    }

    ChromeDriver driver() {
        return driver;
    }

    WebElement find(String css) {
        return until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    <T> T until(ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100)).until(condition);
    }

    /**
     * Clicks the element, finding it again when the live page re-rendered it in between (the UI
     * refreshes its tables every second or on every state event).
     */
    void click(String css) {
        until((ExpectedCondition<Boolean>) d -> {
            try {
                d.findElement(By.cssSelector(css)).click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException
                    | org.openqa.selenium.ElementNotInteractableException e) {
                return null;
            }
        });
    }

    /** The element's text, read again if it went stale. */
    String text(String css) {
        return until((ExpectedCondition<String>) d -> {
            try {
                return d.findElement(By.cssSelector(css)).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return null;
            }
        });
    }

    /** An attribute of the element, read again if it went stale. */
    String attribute(String css, String name) {
        return until((ExpectedCondition<String>) d -> {
            try {
                return d.findElement(By.cssSelector(css)).getAttribute(name);
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return null;
            }
        });
    }

    /** Waits until the element's text contains {@code text}. */
    void waitForText(String css, String text) {
        until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    Path screenshot(String name) {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name + ".png");
        try {
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
