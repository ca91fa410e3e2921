package io.sluice.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SharedClassesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "java.lang.String",
                "javax.net.ssl.SSLContext",
                "org.slf4j.Logger",
                "org.apache.kafka.common.config.ConfigDef",
                "org.apache.kafka.common.config.ConfigDef$Type",
                "org.apache.kafka.clients.producer.ProducerRecord",
                "org.apache.kafka.connect.data.Struct",
                "org.apache.kafka.connect.source.SourceConnector",
                "org.apache.kafka.connect.storage.Converter",
                "org.apache.kafka.connect.transforms.Transformation",
                "org.apache.kafka.connect.transforms.predicates.Predicate",
                "org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy"
            })
    void shouldLoadTheApiFromTheHub(String className) {
        assertThat(SharedClasses.isShared(className)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "com.example.lib.Version",
                "org.apache.kafka.connect.json.JsonConverter",
                "org.apache.kafka.connect.transforms.InsertField$Value",
                "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
                "org.apache.kafka.connect.transforms.util.SimpleConfig",
                "org.apache.kafka.connect.file.FileStreamSourceConnector",
                "io.debezium.connector.postgresql.PostgresConnector",
                "org.slf4jx.NotSlf4j"
            })
    void shouldLoadImplementationsFromThePluginFirst(String className) {
        assertThat(SharedClasses.isShared(className)).isFalse();
    }
}
