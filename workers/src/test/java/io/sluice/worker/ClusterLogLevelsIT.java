package io.sluice.worker;

import static io.sluice.worker.ChildCluster.get;
import static io.sluice.worker.ChildCluster.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code PUT /admin/loggers/{logger}?scope=cluster} as Kafka Connect 4.x answers it: 204, and every
 * worker of the cluster takes the level (a worker that starts later too); without a scope only the
 * worker asked changes. Three worker JVMs.
 */
class ClusterLogLevelsIT {

    private static final String CLUSTER_LOGGER = "io.sluice.worker.runtime";
    private static final String WORKER_LOGGER = "io.sluice.worker.cluster";

    @TempDir
    Path dir;

    private static Path console() {
        return Path.of("target", "ClusterLogLevelsIT-console.txt").toAbsolutePath();
    }

    @Test
    void shouldSetAClusterScopedLevelOnEveryWorkerIncludingOneStartedLater() throws Exception {
        Files.deleteIfExists(console());
        try (ChildCluster cluster = ChildCluster.start(dir, console(), 3)) {
            for (int n = 1; n <= 3; n++) {
                assertThat(level(cluster.worker(n), CLUSTER_LOGGER)).isEqualTo("INFO");
            }

            HttpResponse<String> set = cluster.worker(1)
                    .put("/admin/loggers/" + CLUSTER_LOGGER + "?scope=cluster", "{\"level\":\"debug\"}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(204);
            assertThat(set.body()).isEmpty();
            // the worker asked has it when the answer comes; the others as the change reaches them
            assertThat(level(cluster.worker(1), CLUSTER_LOGGER)).isEqualTo("DEBUG");
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        for (int n = 1; n <= 3; n++) {
                            assertThat(configured(cluster.worker(n))
                                            .path(CLUSTER_LOGGER)
                                            .path("level")
                                            .asText())
                                    .as("node %d", n)
                                    .isEqualTo("DEBUG");
                        }
                    });
            assertThat(json(get(cluster.worker(3), "/admin/loggers/" + CLUSTER_LOGGER))
                            .path("last_modified")
                            .asLong())
                    .isPositive();

            // without a scope: the worker asked only
            HttpResponse<String> here =
                    cluster.worker(2).put("/admin/loggers/" + WORKER_LOGGER, "{\"level\":\"TRACE\"}");
            assertThat(here.statusCode()).as(here.body()).isEqualTo(200);
            assertThat(level(cluster.worker(2), WORKER_LOGGER)).isEqualTo("TRACE");

            // a worker that starts after the change applies the stored level
            cluster.kill(3);
            cluster.restart(3);
            cluster.awaitMembers(3);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() ->
                            assertThat(level(cluster.worker(3), CLUSTER_LOGGER)).isEqualTo("DEBUG"));
            // by now the worker-scoped level had every chance to travel: it did not
            assertThat(configured(cluster.worker(1)).has(WORKER_LOGGER)).isFalse();
            assertThat(configured(cluster.worker(3)).has(WORKER_LOGGER)).isFalse();
            assertThat(level(cluster.worker(1), WORKER_LOGGER)).isEqualTo("INFO");

            // a later cluster-scoped change replaces the stored one everywhere
            HttpResponse<String> back = cluster.worker(3)
                    .put("/admin/loggers/" + CLUSTER_LOGGER + "?scope=cluster", "{\"level\":\"INFO\"}");
            assertThat(back.statusCode()).as(back.body()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        for (int n = 1; n <= 3; n++) {
                            assertThat(level(cluster.worker(n), CLUSTER_LOGGER))
                                    .as("node %d", n)
                                    .isEqualTo("INFO");
                        }
                    });
        }
    }

    private static String level(ChildWorker worker, String logger) {
        return json(get(worker, "/admin/loggers/" + logger)).path("level").asText();
    }

    private static com.fasterxml.jackson.databind.JsonNode configured(ChildWorker worker) {
        return json(get(worker, "/admin/loggers"));
    }
}
