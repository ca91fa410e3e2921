package io.sluice.core.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.plugin.PluginScanner;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.plugin.TestPlugins;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConverterFactoryTest {

    @TempDir
    static Path workDir;

    static Plugins plugins;

    static final Schema ORDER = SchemaBuilder.struct()
            .name("Order")
            .field("id", Schema.INT64_SCHEMA)
            .field("customer", Schema.STRING_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Struct ORDER_1 =
            new Struct(ORDER).put("id", 42L).put("customer", "ada").put("note", null);

    static final Map<String, String> WORKER = Map.of(
            "key.converter", "org.apache.kafka.connect.storage.StringConverter",
            "value.converter", "org.apache.kafka.connect.json.JsonConverter",
            "value.converter.schemas.enable", "true");

    @BeforeAll
    static void scan() {
        plugins = PluginScanner.scan(List.of(TestPlugins.build(workDir)));
    }

    @AfterAll
    static void close() {
        plugins.close();
    }

    @Test
    void shouldRoundTripAStructThroughJsonWithSchemas() {
        ConverterFactory factory = new ConverterFactory(plugins, WORKER);
        Converter value = factory.valueConverter(Map.of());

        byte[] json = value.fromConnectData("orders", ORDER, ORDER_1);
        SchemaAndValue back = value.toConnectData("orders", json);

        assertThat(value)
                .as("JsonConverter with schemas, serialising each schema once")
                .isInstanceOf(SchemaCachingJsonConverter.class);
        assertThat(new String(json, StandardCharsets.UTF_8))
                .contains("\"schema\"")
                .contains("\"payload\"");
        assertThat(back.schema()).isEqualTo(ORDER);
        assertThat(back.value()).isEqualTo(ORDER_1);
    }

    @Test
    void shouldLetAConnectorTurnOffSchemasWithoutRenamingTheWorkersConverter() {
        ConverterFactory factory = new ConverterFactory(plugins, WORKER);
        Converter value = factory.valueConverter(Map.of("value.converter.schemas.enable", "false"));

        byte[] json = value.fromConnectData("orders", ORDER, ORDER_1);
        SchemaAndValue back = value.toConnectData("orders", json);

        assertThat(new String(json, StandardCharsets.UTF_8))
                .isEqualTo("{\"id\":42,\"customer\":\"ada\",\"note\":null}");
        assertThat(back.schema()).isNull();
        Map<String, Object> expected = new java.util.HashMap<>();
        expected.put("id", 42L);
        expected.put("customer", "ada");
        expected.put("note", null);
        assertThat(back.value()).isEqualTo(expected);
    }

    @Test
    void shouldUseOnlyTheConnectorsSubSettingsWhenItNamesItsOwnClass() {
        ConverterFactory factory = new ConverterFactory(
                plugins,
                Map.of(
                        "value.converter", "JsonConverter",
                        "value.converter.schemas.enable", "false"));
        Converter value = factory.valueConverter(Map.of("value.converter", "Json"));

        byte[] json = value.fromConnectData("orders", ORDER, ORDER_1);

        // JsonConverter's own default (schemas on) applies, not the worker's sub-setting
        assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{\"schema\"");
    }

    @Test
    void shouldConfigureKeyConvertersAsKeysAndDefaultHeadersToSimpleHeaderConverter() {
        ConverterFactory factory = new ConverterFactory(plugins, WORKER);

        try (ConnectorConverters converters = factory.create(Map.of())) {
            assertThat(converters.key()).isInstanceOf(StringConverter.class);
            assertThat(converters.key().fromConnectData("t", Schema.STRING_SCHEMA, "k-1"))
                    .isEqualTo("k-1".getBytes(StandardCharsets.UTF_8));
            assertThat(converters.header()).isInstanceOf(SimpleHeaderConverter.class);
        }
    }

    @Test
    void shouldPassBytesThroughWithKafkasByteArrayConverterName() {
        Converter value = new ConverterFactory(plugins, WORKER)
                .valueConverter(Map.of("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter"));
        byte[] raw = {1, 2, 3};

        assertThat(value.fromConnectData("t", Schema.BYTES_SCHEMA, raw)).isSameAs(raw);
        assertThat(value.toConnectData("t", raw).value()).isSameAs(raw);
    }

    @Test
    void shouldLoadAConverterFromAPlugin() {
        Converter value = new ConverterFactory(plugins, WORKER).valueConverter(Map.of("value.converter", "Beta"));

        assertThat(value.getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());
        assertThat(value.toConnectData("t", new byte[0]).value()).isEqualTo("lib-2.0");
    }

    @Test
    void shouldNameTheSettingWhenNoConverterIsConfigured() {
        ConverterFactory factory = new ConverterFactory(plugins, Map.of());

        assertThatThrownBy(() -> factory.keyConverter(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.converter");
        HeaderConverter header = factory.headerConverter(Map.of());
        assertThat(header).isInstanceOf(SimpleHeaderConverter.class);
    }
}
