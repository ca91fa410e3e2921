package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.testconnectors.CountingSinkConnector;
import io.sluice.worker.testconnectors.Received;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Secrets never reach the logs: neither a PASSWORD value written in a config nor one a config
 * provider resolves. The stored config keeps the {@code ${provider:...}} reference as written; only
 * the task sees the resolved value.
 */
class SecretsIT {

    private static final String PASSWORD = "s3cr3t-value";
    private static final String PROVIDED = "pr0vided-s3cr3t";

    @TempDir
    Path dir;

    private static String text(ILoggingEvent e) {
        StringBuilder out = new StringBuilder(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            out.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return out.toString();
    }

    private static Map<String, String> sink(String topic, String password, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(Map.of(
                "connector.class",
                CountingSinkConnector.class.getName(),
                "topics",
                topic,
                "tasks.max",
                "1",
                "api.password",
                password));
        c.putAll(extra);
        return c;
    }

    @Test
    void shouldKeepSecretsOutOfTheLogsAndReferencesUnresolvedInTheStoredConfig() throws Exception {
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "api.key=" + PROVIDED + "\n");
        String reference = "${file:" + secrets + ":api.key}";
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Logger root = null;
        Received.clear("secret-plain");
        Received.clear("secret-ref");
        try (TestWorker worker = TestWorker.start(
                dir.resolve("data"),
                "sluice.connect.config.providers=file",
                "sluice.connect.config.providers.file.class="
                        + "org.apache.kafka.common.config.provider.FileConfigProvider")) {
            // after start-up: Spring Boot re-initialises Logback while starting
            root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.addAppender(captured);
            worker.connectors()
                    .createConnector(
                            "src",
                            Map.of(
                                    "connector.class", SequenceSourceConnector.class.getName(),
                                    "topic", "s",
                                    "count", "20"),
                            TargetState.STARTED);
            worker.connectors().createConnector("secret-plain", sink("s", PASSWORD, Map.of()), TargetState.STARTED);
            // the failing variant logs its stack trace and restarts: those paths must not leak either
            worker.connectors()
                    .createConnector(
                            "secret-ref",
                            sink(
                                    "s",
                                    reference,
                                    Map.of(
                                            "fail.on.value",
                                            "t0-v5",
                                            "errors.log.enable",
                                            "true",
                                            "errors.log.include.messages",
                                            "true",
                                            "sluice.restart.initial.backoff.ms",
                                            "50",
                                            "sluice.restart.max.attempts",
                                            "1")),
                            TargetState.STARTED);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Received.of("secret-plain").count() == 20);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> worker.connectors()
                                    .taskStatus(new TaskId("secret-ref", 0))
                                    .state()
                            == State.FAILED);
            worker.connectors().restartTask(new TaskId("secret-ref", 0));
            worker.connectors().putConnectorConfig("secret-plain", sink("s", PASSWORD, Map.of("tasks.max", "2")));

            // stored as written, reference unresolved
            ConfigStore stored = new ConfigStore(CompactedTopicMap.open(worker.log(), ConfigStore.TOPIC));
            assertThat(stored.connectorConfig("secret-ref").orElseThrow()).containsEntry("api.password", reference);
            assertThat(stored.taskConfigs("secret-ref").get(0)).containsEntry("api.password", reference);
            // what the REST API serves hides PASSWORD values
            assertThat(worker.connectors().connectorConfig("secret-plain").get("api.password"))
                    .isNotEqualTo(PASSWORD);
            assertThat(worker.connectors()
                            .taskConfigs("secret-plain")
                            .get(0)
                            .config()
                            .get("api.password"))
                    .isNotEqualTo(PASSWORD);
            assertThat(Received.of("secret-ref").taskConfig()).containsEntry("api.password", PROVIDED);
            assertThat(Received.of("secret-plain").taskConfig()).containsEntry("api.password", PASSWORD);
        } finally {
            if (root != null) {
                root.detachAppender(captured);
            }
        }

        assertThat(captured.list).hasSizeGreaterThan(20);
        assertThat(captured.list).anySatisfy(e -> assertThat(text(e)).contains("planned failure on value t0-v5"));
        for (ILoggingEvent e : captured.list) {
            assertThat(text(e)).as(e.getLoggerName()).doesNotContain(PASSWORD).doesNotContain(PROVIDED);
        }
    }
}
