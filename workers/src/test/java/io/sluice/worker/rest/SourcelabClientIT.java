package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.worker.TestWorker;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party Kafka Connect client ({@code org.sourcelab:kafka-connect-client} 4.0.4, unchanged)
 * drives a worker through create, list, expand, get, config update, status, pause, resume, restart,
 * task restart, validate, plugins, topics and delete ({@link SourcelabDriver}).
 *
 * <p>The client needs the Jackson it was built with (2.14; it uses {@code
 * PropertyNamingStrategy.SNAKE_CASE}, gone from the Jackson the worker runs on), so the driver runs
 * in a class loader holding only the JDK, the client and its own dependencies, which the build
 * copies to {@code target/kafka-connect-client}.
 */
class SourcelabClientIT {

    @TempDir
    static Path dir;

    static TestWorker worker;

    @BeforeAll
    static void start() {
        worker = TestWorker.start(dir);
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDriveAConnectorThroughItsLifeWithAKafkaConnectClient() throws Exception {
        try (URLClassLoader loader = clientLoader()) {
            Consumer<String> driver = (Consumer<String>) loader.loadClass(SourcelabDriver.class.getName())
                    .getDeclaredConstructor()
                    .newInstance();
            assertThat(driver.getClass().getClassLoader()).isSameAs(loader);
            driver.accept("http://127.0.0.1:" + worker.port());
        }
    }

    private static URLClassLoader clientLoader() throws Exception {
        Path jars = Path.of(System.getProperty("basedir", "."), "target", "kafka-connect-client");
        List<URL> urls = new ArrayList<>();
        urls.add(SourcelabDriver.class.getProtectionDomain().getCodeSource().getLocation());
        try (Stream<Path> files = Files.list(jars)) {
            for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                urls.add(jar.toUri().toURL());
            }
        }
        assertThat(urls).as("client jars in %s", jars).hasSizeGreaterThan(5);
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
