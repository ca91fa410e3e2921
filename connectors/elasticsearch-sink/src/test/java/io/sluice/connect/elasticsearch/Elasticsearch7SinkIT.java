package io.sluice.connect.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.Elasticsearch7Node;
import io.sluice.testing.SearchNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

/**
 * The sink contract against a real Elasticsearch 7.10.2 node, plus what an operator sees: an
 * outage reported as retrying with its cause, bulk counters, and the preflight of {@code
 * validate()}.
 */
class Elasticsearch7SinkIT extends SearchSinkContractIT {

    @Override
    SearchNode startNode(Path dataDir) {
        return Elasticsearch7Node.start(dataDir);
    }

    @Test
    void shouldReportAnOutageAsRetryingWithItsCauseAndCountFailedBulkRequests() throws Exception {
        String topic = "watched";
        FakeSinkTaskContext context = context(topic, false);
        Metrics registry = new Metrics();
        context.metrics = new PluginMetricsImpl(registry, Map.of("connector", "es", "task", "0"));
        ElasticsearchSinkTask task = start(
                context,
                Map.of(
                        "key.ignore", "true",
                        "schema.ignore", "true",
                        "max.retries", "1000",
                        "retry.backoff.ms", "100",
                        "retry.backoff.max.ms", "500"));
        try {
            task.put(clicks(topic, 0, 20));
            awaitCommitted(task, topic, 20);
            assertThat(metric(registry, "es-bulk-requests-total")).isPositive();
            assertThat(metric(registry, "es-bulk-failures-total")).isZero();
            task.put(List.of()); // idle and healthy: nothing to report

            node.stop();
            task.put(clicks(topic, 20, 40)); // records are still taken while the cluster is away
            AtomicReference<RetriableException> reported = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        try {
                            task.put(List.of()); // the framework's idle call
                            return false;
                        } catch (RetriableException e) {
                            reported.set(e);
                            return true;
                        }
                    });
            assertThat(reported.get().getMessage())
                    .contains(node.url())
                    .contains("keeps failing since")
                    .contains("Connection refused")
                    .contains("20 documents wait");
            assertThat(metric(registry, "es-bulk-failures-total")).isPositive();
        } finally {
            node.restart();
        }
        awaitCommitted(task, topic, 40); // idle puts stop throwing once the node answers again
        task.put(List.of());
        assertThat(reader.count(topic)).isEqualTo(40);
        task.stop();
        assertThat(registry.metrics().keySet().stream().map(n -> n.name()))
                .as("the task's metrics are removed when it stops")
                .doesNotContain("es-bulk-requests-total", "es-bulk-failures-total");
    }

    @Test
    void shouldNameTheUrlThatDoesNotAnswerOnValidate() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort;
        ElasticsearchSinkConnector connector = new ElasticsearchSinkConnector();

        assertThat(urlErrors(connector, node.url())).isEmpty();
        assertThat(urlErrors(connector, node.url() + "," + nowhere))
                .singleElement()
                .asString()
                .contains("Elasticsearch does not answer at " + nowhere)
                .contains("Connection refused")
                .contains("fix connection.url");
    }

    private static List<String> urlErrors(ElasticsearchSinkConnector connector, String url) {
        return connector
                .validate(Map.of(
                        "connector.class",
                        ElasticsearchSinkConnector.class.getName(),
                        "topics",
                        "t",
                        "key.ignore",
                        "true",
                        "connection.url",
                        url))
                .configValues()
                .stream()
                .filter(v -> v.name().equals("connection.url"))
                .map(ConfigValue::errorMessages)
                .findFirst()
                .orElseThrow();
    }

    private static double metric(Metrics registry, String name) {
        return registry.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .map(Map.Entry::getValue)
                .map(KafkaMetric::metricValue)
                .map(v -> ((Number) v).doubleValue())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
