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
                "org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy",
                "org.apache.kafka.connect.runtime.InternalSinkRecord",
                "org.apache.kafka.connect.runtime.errors.ProcessingContext",
                "org.apache.kafka.connect.util.ConnectorUtils",
                "org.apache.kafka.common.config.provider.ConfigProvider",
                "javax.inject.Inject",
                "io.sluice.core.extension.ConnectorExtension",
                "javax.xml.bind.JAXBContext"
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
                "org.slf4jx.NotSlf4j",
                "org.apache.kafka.connect.mirror.MirrorSourceConnector",
                "org.apache.kafka.connect.converters.ByteArrayConverter",
                "org.apache.kafka.connect.storage.StringConverter",
                "org.apache.kafka.connect.connector.policy.NoneConnectorClientConfigOverridePolicy",
                "org.apache.kafka.common.config.provider.FileConfigProvider",
                "javax.cache.Cache",
                "com.sun.activation.registries.MailcapFile"
            })
    void shouldLoadImplementationsFromThePluginFirst(String className) {
        assertThat(SharedClasses.isShared(className)).isFalse();
    }
}
