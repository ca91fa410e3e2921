package io.sluice.core.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.plugin.PluginClassLoader;
import io.sluice.core.plugin.PluginJarBuilder;
import io.sluice.core.plugin.PluginScanner;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.plugin.TestPlugins;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin's {@link ConnectorExtension} is found through the plugin's own class loader, applies
 * only to the connectors it names, is created once and initialised before use, and never leaks into
 * the hub's class loader.
 */
class ConnectorExtensionsTest {

    private static final String GAMMA = "com.example.g.GammaSourceConnector";

    private static final String GAMMA_SOURCE = """
            package com.example.g;
            import java.util.*;
            import org.apache.kafka.common.config.ConfigDef;
            import org.apache.kafka.connect.connector.Task;
            import org.apache.kafka.connect.source.SourceConnector;
            public class GammaSourceConnector extends SourceConnector {
                public String version() { return "1.0"; }
                public void start(Map<String, String> props) {}
                public Class<? extends Task> taskClass() { return null; }
                public List<Map<String, String>> taskConfigs(int max) { return List.of(); }
                public void stop() {}
                public ConfigDef config() { return new ConfigDef(); }
            }
            """;

    private static final String GAMMA_EXTENSION = """
            package com.example.g;
            import java.util.*;
            import io.sluice.core.extension.*;
            public class GammaExtension implements ConnectorExtension {
                public static int created;
                private volatile Gauges gauges;
                public GammaExtension() { created++; }
                public boolean appliesTo(String connectorClass) {
                    return connectorClass.equals("com.example.g.GammaSourceConnector");
                }
                public void init(ExtensionContext context) { gauges = context.gauges(); }
                public Map<String, String> startConfig(Map<String, String> resolved) {
                    Map<String, String> out = new HashMap<>();
                    out.put("gamma.heartbeat", "10s");
                    out.putAll(resolved);
                    out.put("initialised", String.valueOf(gauges != null));
                    return out;
                }
            }
            """;

    @TempDir
    Path workDir;

    private Plugins plugins;
    private ConnectorExtensions extensions;

    @BeforeEach
    void scan() throws Exception {
        Path pluginPath = TestPlugins.build(workDir);
        new PluginJarBuilder(workDir)
                .source(GAMMA, GAMMA_SOURCE)
                .source("com.example.g.GammaExtension", GAMMA_EXTENSION)
                .classpath(Path.of(ConnectorExtension.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI()))
                .service(SourceConnector.class, GAMMA)
                .service(ConnectorExtension.class, "com.example.g.GammaExtension")
                .buildJar(pluginPath.resolve("gamma.jar"));
        plugins = PluginScanner.scan(List.of(pluginPath), getClass().getClassLoader());
        extensions = new ConnectorExtensions(plugins, ExtensionContext.none());
    }

    @AfterEach
    void close() {
        plugins.close();
    }

    @Test
    void shouldFindThePluginsExtensionThroughThePluginsClassLoaderByClassNameOrAlias() {
        ConnectorExtension byName = extensions.forConnector(GAMMA).orElseThrow();
        ConnectorExtension byAlias =
                extensions.forConnector("GammaSourceConnector").orElseThrow();

        assertThat(byAlias).isSameAs(byName);
        assertThat(byName.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
        assertThat(byName.startConfig(Map.of("gamma.heartbeat", "1s")))
                .containsEntry("gamma.heartbeat", "1s")
                .containsEntry("initialised", "true");
    }

    @Test
    void shouldCreateEachExtensionOnce() throws Exception {
        extensions.forConnector(GAMMA).orElseThrow();
        extensions.forConnector("GammaSourceConnector").orElseThrow();

        Class<?> type = extensions.forConnector(GAMMA).orElseThrow().getClass();
        assertThat(type.getField("created").getInt(null)).isEqualTo(1);
    }

    @Test
    void shouldHaveNoExtensionForConnectorsItDoesNotNameOrUnknownOnes() {
        assertThat(extensions.forConnector(TestPlugins.ALPHA)).isEmpty();
        assertThat(extensions.forConnector("com.example.Missing")).isEmpty();
        assertThat(extensions.forConnector((String) null)).isEmpty();
        assertThat(extensions.preflights(GAMMA)).isEmpty();
    }

    @Test
    void shouldNotLeakThePluginsExtensionIntoTheHubsClassLoader() {
        assertThat(ServiceLoader.load(ConnectorExtension.class, getClass().getClassLoader()).stream()
                        .map(p -> p.type().getName()))
                .doesNotContain("com.example.g.GammaExtension");
    }
}
