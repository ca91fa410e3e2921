package io.sluice.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsTest {

    @TempDir
    static Path workDir;

    static Plugins plugins;

    @BeforeAll
    static void scan() {
        plugins = PluginScanner.scan(List.of(TestPlugins.build(workDir)));
    }

    @AfterAll
    static void close() {
        plugins.close();
    }

    @Test
    void shouldLetTwoPluginsUseConflictingVersionsOfTheSameLibraryClass() throws Exception {
        SourceConnector alpha = plugins.newInstance(TestPlugins.ALPHA, SourceConnector.class);
        SinkConnector beta = plugins.newInstance(TestPlugins.BETA, SinkConnector.class);

        assertThat(alpha.version()).isEqualTo("lib-1.0");
        assertThat(beta.version()).isEqualTo("lib-2.0");
        Class<?> alphaLib = alpha.getClass().getClassLoader().loadClass("com.example.lib.Version");
        Class<?> betaLib = beta.getClass().getClassLoader().loadClass("com.example.lib.Version");
        assertThat(alphaLib).isNotSameAs(betaLib);
    }

    @Test
    void shouldShareTheConnectApiWithTheHubButNotPluginLibraries() {
        Class<? extends SourceConnector> alpha = plugins.pluginClass(TestPlugins.ALPHA, SourceConnector.class);

        assertThat(alpha.getSuperclass()).isSameAs(SourceConnector.class);
        assertThat(alpha.getClassLoader()).isInstanceOf(PluginClassLoader.class);
        assertThatThrownBy(() -> Class.forName(
                        "com.example.lib.Version", false, getClass().getClassLoader()))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void shouldListPluginsFromClasspathAndPluginPathWithTypeVersionAndLocation() {
        List<PluginDescriptor> all = plugins.list();

        assertThat(all)
                .anySatisfy(p -> {
                    assertThat(p.className()).isEqualTo(TestPlugins.ALPHA);
                    assertThat(p.type()).isEqualTo(PluginType.SOURCE);
                    assertThat(p.version()).isEqualTo("lib-1.0");
                    assertThat(p.location()).endsWith("plugin-a.jar");
                })
                .anySatisfy(p -> {
                    assertThat(p.className()).isEqualTo(TestPlugins.BETA);
                    assertThat(p.type()).isEqualTo(PluginType.SINK);
                    assertThat(p.location()).endsWith("plugin-b");
                })
                .anySatisfy(p -> {
                    // no Versioned.version() of its own: the jar's Implementation-Version is used
                    assertThat(p.className()).isEqualTo(TestPlugins.BETA_CONVERTER);
                    assertThat(p.type()).isEqualTo(PluginType.CONVERTER);
                    assertThat(p.version()).isEqualTo("9.9.9");
                });
        assertThat(plugins.list(PluginType.CONVERTER, PluginType.HEADER_CONVERTER))
                .extracting(PluginDescriptor::className, PluginDescriptor::type, PluginDescriptor::location)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(
                                JsonConverter.class.getName(), PluginType.CONVERTER, PluginDescriptor.CLASSPATH),
                        org.assertj.core.groups.Tuple.tuple(
                                JsonConverter.class.getName(),
                                PluginType.HEADER_CONVERTER,
                                PluginDescriptor.CLASSPATH));
        assertThat(plugins.list(PluginType.TRANSFORMATION))
                .extracting(PluginDescriptor::className)
                .contains("org.apache.kafka.connect.transforms.InsertField$Value");
        assertThat(plugins.list(PluginType.PREDICATE))
                .extracting(PluginDescriptor::className)
                .contains("org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        assertThat(plugins.list(PluginType.CONFIG_PROVIDER))
                .extracting(PluginDescriptor::className)
                .contains("org.apache.kafka.common.config.provider.EnvVarConfigProvider");
    }

    @Test
    void shouldFindPluginByClassNameSimpleNameOrAliasWithoutSuffix() {
        for (String name : List.of(TestPlugins.ALPHA, "AlphaSourceConnector", "AlphaSource")) {
            assertThat(plugins.find(name, Connector.class))
                    .get()
                    .extracting(PluginDescriptor::className)
                    .isEqualTo(TestPlugins.ALPHA);
        }
        assertThat(plugins.pluginClass("JsonConverter", Converter.class)).isSameAs(JsonConverter.class);
        assertThat(plugins.pluginClass("Json", Converter.class)).isSameAs(JsonConverter.class);
    }

    @Test
    void shouldNotFindPluginOfAnotherTypeOrUnknownName() {
        assertThat(plugins.find("AlphaSource", Converter.class)).isEmpty();
        assertThatThrownBy(() -> plugins.pluginClass("com.example.Missing", Connector.class))
                .isInstanceOf(PluginNotFoundException.class)
                .hasMessageContaining("com.example.Missing")
                .hasMessageContaining(TestPlugins.ALPHA);
    }

    @Test
    void shouldRefuseAnAliasMatchingSeveralClasses() {
        // InsertField$Key and InsertField$Value both have the simple name Key/Value in Kafka's jar
        assertThatThrownBy(() -> plugins.pluginClass("Value", Transformation.class))
                .isInstanceOf(PluginNotFoundException.class)
                .hasMessageContaining("ambiguous");
    }

    @Test
    void shouldInstantiateWithThePluginLoaderAsContextLoaderAndRestoreIt() throws Exception {
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        SourceConnector alpha = plugins.newInstance("AlphaSource", SourceConnector.class);

        Object constructedWith = alpha.getClass().getField("constructedWith").get(alpha);
        assertThat(constructedWith).isSameAs(alpha.getClass().getClassLoader());
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void shouldResolvePluginClassNamesThroughTheRoutingLoader() throws Exception {
        Class<?> viaRouting = Class.forName(TestPlugins.BETA, false, plugins.classLoader());

        assertThat(viaRouting).isSameAs(plugins.pluginClass(TestPlugins.BETA, Connector.class));
        assertThat(Class.forName(JsonConverter.class.getName(), false, plugins.classLoader()))
                .isSameAs(JsonConverter.class);
    }

    @Test
    void shouldMapKafkaRuntimeByteArrayConverterToTheHubsOwn() {
        assertThat(plugins.pluginClass("org.apache.kafka.connect.converters.ByteArrayConverter", Converter.class)
                        .getName())
                .isEqualTo("io.sluice.core.convert.ByteArrayConverter");
    }
}
