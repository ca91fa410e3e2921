package io.sluice.worker.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.sourcelab.kafka.connect.apiclient.Configuration;
import org.sourcelab.kafka.connect.apiclient.KafkaConnectClient;
import org.sourcelab.kafka.connect.apiclient.request.dto.ConnectorDefinition;
import org.sourcelab.kafka.connect.apiclient.request.dto.ConnectorPlugin;
import org.sourcelab.kafka.connect.apiclient.request.dto.ConnectorPluginConfigDefinition;
import org.sourcelab.kafka.connect.apiclient.request.dto.ConnectorPluginConfigValidationResults;
import org.sourcelab.kafka.connect.apiclient.request.dto.ConnectorsWithExpandedMetadata;
import org.sourcelab.kafka.connect.apiclient.request.dto.NewConnectorDefinition;
import org.sourcelab.kafka.connect.apiclient.rest.exceptions.InvalidRequestException;
import org.sourcelab.kafka.connect.apiclient.rest.exceptions.ResourceNotFoundException;

/**
 * Drives a worker through a connector's whole life with {@code org.sourcelab:kafka-connect-client},
 * a client written for Kafka Connect. Runs in a class loader of its own (see {@link
 * SourcelabClientIT}), so it uses only the JDK and the client: failures are {@link AssertionError}s.
 */
public final class SourcelabDriver implements Consumer<String> {

    private static final String SOURCE = "io.sluice.worker.testconnectors.SequenceSourceConnector";
    private static final String SINK = "io.sluice.worker.testconnectors.CountingSinkConnector";

    private KafkaConnectClient client;

    @Override
    public void accept(String baseUrl) {
        client = new KafkaConnectClient(new Configuration(baseUrl));
        check(!client.getConnectServerVersion().getKafkaClusterId().isBlank(), "cluster id");
        Collection<ConnectorPlugin> plugins = client.getConnectorPlugins();
        check(plugins.stream().anyMatch(p -> p.getClassName().equals(SOURCE)), "source plugin listed");
        check(plugins.stream().anyMatch(p -> p.getClassName().equals(SINK)), "sink plugin listed");

        ConnectorDefinition created = client.addConnector(NewConnectorDefinition.newBuilder()
                .withName("client-src")
                .withConfig("connector.class", SOURCE)
                .withConfig("topic", "client-topic")
                .withConfig("count", "50")
                .withConfig("tasks.max", 2)
                .build());
        check(created.getName().equals("client-src"), "created name");
        check(created.getType().equals("source"), "created type: " + created.getType());
        check(client.getConnectors().contains("client-src"), "listed");

        client.addConnector(NewConnectorDefinition.newBuilder()
                .withName("client-sink")
                .withConfig("connector.class", SINK)
                .withConfig("topics", "client-topic")
                .withConfig("api.password", "client-secret")
                .build());
        try {
            client.addConnector(NewConnectorDefinition.newBuilder()
                    .withName("client-sink")
                    .withConfig("connector.class", SINK)
                    .build());
            throw new AssertionError("creating an existing connector must fail");
        } catch (InvalidRequestException expected) {
            check(expected.getErrorCode() == 409, "409 for an existing name: " + expected.getErrorCode());
        }

        ConnectorsWithExpandedMetadata expanded = client.getConnectorsWithAllExpandedMetadata();
        check(
                expanded.getConnectorNames().containsAll(java.util.List.of("client-src", "client-sink")),
                "expanded names");
        check(
                "[hidden]"
                        .equals(expanded.getDefinitionForConnector("client-sink")
                                .getConfig()
                                .get("api.password")),
                "secret hidden in expand=info");
        check(expanded.getStatusForConnector("client-src").getName().equals("client-src"), "expanded status");
        check(client.getConnectorsWithExpandedInfo().getAllDefinitions().size() >= 2, "expand=info");
        check(client.getConnectorsWithExpandedStatus().getAllStatuses().size() >= 2, "expand=status");

        check(
                "client-topic"
                        .equals(client.getConnector("client-src").getConfig().get("topic")),
                "get connector");
        Map<String, String> config = new LinkedHashMap<>(client.getConnectorConfig("client-src"));
        config.put("batch.size", "10");
        check(
                "10"
                        .equals(client.updateConnectorConfig("client-src", config)
                                .getConfig()
                                .get("batch.size")),
                "config update");

        await(() -> "RUNNING".equals(state("client-src")), "RUNNING");
        await(() -> client.getConnectorTasks("client-src").size() == 2, "two tasks");
        await(() -> client.getConnectorStatus("client-src").getTasks().size() == 2, "two task statuses");
        check(!client.getConnectorTaskStatus("client-src", 0).getState().isBlank(), "task status");

        check(client.pauseConnector("client-src"), "pause");
        await(() -> "PAUSED".equals(state("client-src")), "PAUSED");
        check(client.resumeConnector("client-src"), "resume");
        await(() -> "RUNNING".equals(state("client-src")), "RUNNING after resume");
        check(client.restartConnector("client-src"), "restart");
        await(() -> client.getConnectorStatus("client-src").getTasks().size() == 2, "tasks after restart");
        check(client.restartConnectorTask("client-src", 1), "task restart");

        ConnectorPluginConfigValidationResults validation =
                client.validateConnectorPluginConfig(ConnectorPluginConfigDefinition.newBuilder()
                        .withName(SOURCE)
                        .withConfig("connector.class", SOURCE)
                        .withConfig("batch.size", "0")
                        .build());
        check(validation.getErrorCount() >= 2, "validation errors: " + validation.getErrorCount());
        check(!validation.getConfigs().isEmpty(), "validation configs");

        await(() -> client.getConnectorTopics("client-sink").getTopics().contains("client-topic"), "active topics");
        check(client.resetConnectorTopics("client-sink"), "reset topics");

        check(client.deleteConnector("client-src"), "delete source");
        check(client.deleteConnector("client-sink"), "delete sink");
        check(!client.getConnectors().contains("client-src"), "deleted");
        try {
            client.getConnector("client-src");
            throw new AssertionError("a deleted connector must be gone");
        } catch (ResourceNotFoundException expected) {
            // 404
        }
    }

    private String state(String connector) {
        return client.getConnectorStatus(connector).getConnector().get("state");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("Kafka Connect client check failed: " + what);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            try {
                Thread.sleep(100); // polling a remote state; the client offers no way to wait on it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
