package io.sluice.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.fixtures.TestSinkConnector;
import io.sluice.core.plugin.PluginScanner;
import io.sluice.core.plugin.Plugins;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfigRedactorTest {

    static Plugins plugins;

    @BeforeAll
    static void scan() {
        plugins = PluginScanner.scan(List.of());
    }

    @AfterAll
    static void close() {
        plugins.close();
    }

    static Map<String, String> sink() {
        Map<String, String> config = new HashMap<>();
        config.put("name", "s");
        config.put("connector.class", "TestSink");
        config.put("topics", "orders");
        config.put(TestSinkConnector.URL, "http://db");
        config.put(TestSinkConnector.PASSWORD, "pg-s3cret");
        config.put("transforms", "mask");
        config.put("transforms.mask.type", "org.apache.kafka.connect.transforms.MaskField$Value");
        config.put("transforms.mask.fields", "card");
        return config;
    }

    @Test
    void shouldHidePasswordTypedSettingsOfTheConnector() {
        Map<String, String> redacted = new ConfigRedactor(plugins).redact(sink());

        assertThat(redacted)
                .containsEntry(TestSinkConnector.PASSWORD, "[hidden]")
                .containsEntry(TestSinkConnector.URL, "http://db")
                .containsEntry("transforms.mask.fields", "card")
                .containsEntry("topics", "orders");
        assertThat(redacted.values()).doesNotContain("pg-s3cret");
    }

    @Test
    void shouldHideAPasswordEvenWhenItIsAReference() {
        Map<String, String> config = sink();
        config.put(TestSinkConnector.PASSWORD, "${file:/etc/secrets.properties:pw}");

        assertThat(new ConfigRedactor(plugins).redact(config)).containsEntry(TestSinkConnector.PASSWORD, "[hidden]");
    }

    @Test
    void shouldFallBackToSecretLookingNamesWhenTheConnectorIsUnknown() {
        Map<String, String> config = Map.of(
                "connector.class", "com.example.Gone",
                "connection.password", "x",
                "aws.secret.access.key", "y",
                "sasl.jaas.config", "z",
                "connection.url", "jdbc:postgresql://db/app");

        Map<String, String> redacted = new ConfigRedactor(plugins).redact(config);

        assertThat(redacted)
                .containsEntry("connection.password", "[hidden]")
                .containsEntry("aws.secret.access.key", "[hidden]")
                .containsEntry("sasl.jaas.config", "[hidden]")
                .containsEntry("connection.url", "jdbc:postgresql://db/app");
    }

    @Test
    void shouldKeepStoredSecretsForHiddenValuesSentBack() {
        Map<String, String> stored = sink();
        Map<String, String> update = new ConfigRedactor(plugins).redact(stored);
        update.put("topics", "orders,refunds");

        Map<String, String> merged = HiddenValues.restore(stored, update);

        assertThat(merged)
                .containsEntry(TestSinkConnector.PASSWORD, "pg-s3cret")
                .containsEntry("topics", "orders,refunds");
    }

    @Test
    void shouldRefuseAHiddenValueWithNothingStored() {
        Map<String, String> update = Map.of("name", "s", "new.password", "[hidden]");

        assertThatThrownBy(() -> HiddenValues.restore(Map.of("name", "s"), update))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("new.password");
    }
}
