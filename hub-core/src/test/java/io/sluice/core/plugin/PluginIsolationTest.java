package io.sluice.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Connect's isolation rules as plugins shipped for it rely on them: service files scoped to
 * the plugin that bundles the service type, JDBC drivers registered per plugin, broken plugins
 * reported without stopping the scan, and the {@code plugin.discovery} modes.
 */
class PluginIsolationTest {

    @TempDir
    Path workDir;

    private static final String SPI = """
            package com.example.spi;
            public interface Provider { String name(); }
            """;

    private static String provider(String pkg, String name) {
        return """
                package %s;
                public class %s implements com.example.spi.Provider {
                    public String name() { return "%s"; }
                }
                """.formatted(pkg, name, name);
    }

    /** A connector whose constructor loads every {@code Provider} through the context loader. */
    private static final String SERVICE_USER = """
            package com.example.user;
            import java.util.*;
            import org.apache.kafka.common.config.ConfigDef;
            import org.apache.kafka.connect.connector.Task;
            import org.apache.kafka.connect.sink.SinkConnector;
            public class ServiceUserSinkConnector extends SinkConnector {
                private final String providers;
                public ServiceUserSinkConnector() {
                    StringBuilder names = new StringBuilder();
                    for (com.example.spi.Provider p : ServiceLoader.load(com.example.spi.Provider.class)) {
                        names.append(p.name()).append(' ');
                    }
                    providers = names.toString().trim();
                }
                public String version() { return providers; }
                public void start(Map<String, String> props) {}
                public Class<? extends Task> taskClass() { return null; }
                public List<Map<String, String>> taskConfigs(int max) { return List.of(); }
                public void stop() {}
                public ConfigDef config() { return new ConfigDef(); }
            }
            """;

    @Test
    void shouldShowAPluginOnlyItsOwnProvidersOfAServiceTypeItBundles() throws Exception {
        Path hubJar = new PluginJarBuilder(workDir)
                .source("com.example.spi.Provider", SPI)
                .source("com.example.hub.HubProvider", provider("com.example.hub", "HubProvider"))
                .service("com.example.spi.Provider", "com.example.hub.HubProvider")
                .buildJar(workDir.resolve("hub.jar"));
        Path pluginPath = Files.createDirectories(workDir.resolve("plugins"));
        new PluginJarBuilder(workDir)
                .source("com.example.spi.Provider", SPI)
                .source("com.example.user.OwnProvider", provider("com.example.user", "OwnProvider"))
                .source("com.example.user.ServiceUserSinkConnector", SERVICE_USER)
                .service("com.example.spi.Provider", "com.example.user.OwnProvider")
                .service(SinkConnector.class, "com.example.user.ServiceUserSinkConnector")
                .buildJar(pluginPath.resolve("service-user.jar"));

        try (URLClassLoader hub = new URLClassLoader(
                        new URL[] {hubJar.toUri().toURL()}, getClass().getClassLoader());
                Plugins plugins = PluginScanner.scan(List.of(pluginPath), hub)) {
            assertThat(plugins.problems()).isEmpty();
            assertThat(plugins.find("ServiceUserSink", SinkConnector.class))
                    .get()
                    .extracting(PluginDescriptor::version)
                    .isEqualTo("OwnProvider");
            Class<?> hubSpi = hub.loadClass("com.example.spi.Provider");
            List<String> seenByHub = StreamSupport.stream(
                            ServiceLoader.load(hubSpi, hub).spliterator(), false)
                    .map(p -> p.getClass().getName())
                    .collect(Collectors.toList());
            assertThat(seenByHub).containsExactly("com.example.hub.HubProvider");
        }
    }

    private static final String FAKE_DRIVER = """
            package com.example.jdbc;
            import java.sql.*;
            import java.util.Properties;
            import java.util.logging.Logger;
            public class FakeDriver implements Driver {
                static {
                    try { DriverManager.registerDriver(new FakeDriver()); } catch (SQLException e) { throw new RuntimeException(e); }
                }
                public Connection connect(String url, Properties info) { return null; }
                public boolean acceptsURL(String url) { return url.startsWith("jdbc:sluicefake:"); }
                public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) { return new DriverPropertyInfo[0]; }
                public int getMajorVersion() { return 1; }
                public int getMinorVersion() { return 0; }
                public boolean jdbcCompliant() { return false; }
                public Logger getParentLogger() { return Logger.getGlobal(); }
            }
            """;

    /** Asks DriverManager, as plugin code, for the driver of its database. */
    private static final String DRIVER_USER = """
            package com.example.jdbcuser;
            import java.util.*;
            import org.apache.kafka.common.config.ConfigDef;
            import org.apache.kafka.connect.connector.Task;
            import org.apache.kafka.connect.source.SourceConnector;
            public class DriverUserSourceConnector extends SourceConnector {
                public String version() {
                    try {
                        return java.sql.DriverManager.getDriver("jdbc:sluicefake:db").getClass().getName();
                    } catch (java.sql.SQLException e) {
                        return "no driver: " + e.getMessage();
                    }
                }
                public void start(Map<String, String> props) {}
                public Class<? extends Task> taskClass() { return null; }
                public List<Map<String, String>> taskConfigs(int max) { return List.of(); }
                public void stop() {}
                public ConfigDef config() { return new ConfigDef(); }
            }
            """;

    @Test
    void shouldRegisterTheJdbcDriversAPluginBundlesForThatPluginOnly() throws Exception {
        Path pluginPath = Files.createDirectories(workDir.resolve("plugins"));
        Path plugin = Files.createDirectories(pluginPath.resolve("driver-user"));
        new PluginJarBuilder(workDir)
                .source("com.example.jdbc.FakeDriver", FAKE_DRIVER)
                .service("java.sql.Driver", "com.example.jdbc.FakeDriver")
                .buildJar(plugin.resolve("fake-driver.jar"));
        new PluginJarBuilder(workDir)
                .source("com.example.jdbcuser.DriverUserSourceConnector", DRIVER_USER)
                .service(SourceConnector.class, "com.example.jdbcuser.DriverUserSourceConnector")
                .buildJar(plugin.resolve("connector.jar"));

        try (Plugins plugins =
                PluginScanner.scan(List.of(pluginPath), getClass().getClassLoader())) {
            SourceConnector connector = plugins.newInstance("DriverUserSource", SourceConnector.class);

            assertThat(connector.version()).isEqualTo("com.example.jdbc.FakeDriver");
            assertThatThrownBy(() -> java.sql.DriverManager.getDriver("jdbc:sluicefake:db"))
                    .as("the hub's own code does not see the plugin's driver")
                    .hasMessageContaining("No suitable driver");
        }
    }

    private static final String FAILING_STATIC_INIT = """
            package com.example.broken;
            import java.util.*;
            import org.apache.kafka.common.config.ConfigDef;
            import org.apache.kafka.connect.connector.Task;
            import org.apache.kafka.connect.source.SourceConnector;
            public class BrokenSourceConnector extends SourceConnector {
                static { if (true) throw new IllegalStateException("static init fails"); }
                public String version() { return "1"; }
                public void start(Map<String, String> props) {}
                public Class<? extends Task> taskClass() { return null; }
                public List<Map<String, String>> taskConfigs(int max) { return List.of(); }
                public void stop() {}
                public ConfigDef config() { return new ConfigDef(); }
            }
            """;

    @Test
    void shouldReportPluginsThatCannotLoadAndKeepTheOthers() throws Exception {
        Path pluginPath = TestPlugins.build(workDir);
        new PluginJarBuilder(workDir)
                .source("com.example.broken.BrokenSourceConnector", FAILING_STATIC_INIT)
                .service(
                        SourceConnector.class, "com.example.broken.BrokenSourceConnector", "com.example.broken.Missing")
                .buildJar(pluginPath.resolve("broken.jar"));
        Files.write(pluginPath.resolve("corrupt.jar"), new byte[] {1, 2, 3, 4});

        try (Plugins plugins =
                PluginScanner.scan(List.of(pluginPath), getClass().getClassLoader())) {
            assertThat(plugins.find(TestPlugins.ALPHA, SourceConnector.class)).isPresent();
            assertThat(plugins.find(TestPlugins.BETA, SinkConnector.class)).isPresent();
            assertThat(plugins.problems())
                    .filteredOn(p -> p.severity() == PluginProblem.Severity.ERROR)
                    .extracting(
                            p -> p.location().substring(pluginPath.toString().length() + 1), PluginProblem::className)
                    .contains(
                            org.assertj.core.groups.Tuple.tuple("broken.jar", "com.example.broken.Missing"),
                            org.assertj.core.groups.Tuple.tuple("corrupt.jar", null));
            assertThat(plugins.problems())
                    .filteredOn(p -> "com.example.broken.Missing".equals(p.className()))
                    .extracting(PluginProblem::message)
                    .singleElement()
                    .asString()
                    .contains("ClassNotFoundException");
            assertThatThrownBy(() -> plugins.newInstance("BrokenSource", SourceConnector.class))
                    .hasMessageContaining("BrokenSourceConnector");
        }
    }

    private static final String UNLISTED = """
            package com.example.a;
            import java.util.*;
            import org.apache.kafka.common.config.ConfigDef;
            import org.apache.kafka.connect.connector.Task;
            import org.apache.kafka.connect.sink.SinkConnector;
            public class UnlistedSinkConnector extends SinkConnector {
                public String version() { return "1"; }
                public void start(Map<String, String> props) {}
                public Class<? extends Task> taskClass() { return null; }
                public List<Map<String, String>> taskConfigs(int max) { return List.of(); }
                public void stop() {}
                public ConfigDef config() { return new ConfigDef(); }
            }
            """;

    @Test
    void shouldFollowKafkasPluginDiscoveryModes() throws Exception {
        Path pluginPath = TestPlugins.build(workDir);
        new PluginJarBuilder(workDir)
                .source("com.example.a.UnlistedSinkConnector", UNLISTED)
                .source(
                        "com.example.a.ListedSourceConnector",
                        UNLISTED.replace(
                                        "UnlistedSinkConnector extends SinkConnector",
                                        "ListedSourceConnector extends SourceConnector")
                                .replace("sink.SinkConnector", "source.SourceConnector"))
                .service(SourceConnector.class, "com.example.a.ListedSourceConnector")
                .buildJar(pluginPath.resolve("partly-listed.jar"));
        ClassLoader hub = getClass().getClassLoader();

        try (Plugins scanned = PluginScanner.scan(List.of(pluginPath), PluginDiscovery.ONLY_SCAN, hub)) {
            assertThat(scanned.find("com.example.a.UnlistedSinkConnector", SinkConnector.class))
                    .isPresent();
            assertThat(scanned.find(TestPlugins.BETA, SinkConnector.class)).isPresent();
            assertThat(scanned.problems()).isEmpty();
        }
        try (Plugins hybrid = PluginScanner.scan(List.of(pluginPath), PluginDiscovery.HYBRID_WARN, hub)) {
            assertThat(hybrid.find("com.example.a.ListedSourceConnector", SourceConnector.class))
                    .isPresent();
            assertThat(hybrid.find(TestPlugins.BETA, SinkConnector.class)).isPresent();
            assertThat(hybrid.problems())
                    .extracting(PluginProblem::className, PluginProblem::severity)
                    .contains(org.assertj.core.groups.Tuple.tuple(TestPlugins.BETA, PluginProblem.Severity.WARNING));
        }
        try (Plugins manifestsOnly = PluginScanner.scan(List.of(pluginPath), PluginDiscovery.SERVICE_LOAD, hub)) {
            assertThat(manifestsOnly.find(TestPlugins.ALPHA, SourceConnector.class))
                    .isPresent();
            assertThat(manifestsOnly.find(TestPlugins.BETA, SinkConnector.class))
                    .isEmpty();
            assertThat(manifestsOnly.problems())
                    .extracting(PluginProblem::location)
                    .containsExactly(pluginPath.resolve("plugin-b").toString());
        }
        assertThatThrownBy(() -> PluginScanner.scan(List.of(pluginPath), PluginDiscovery.HYBRID_FAIL, hub))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(TestPlugins.BETA)
                .hasMessageContaining("hybrid_fail");
        assertThat(PluginDiscovery.parse("service_load")).isEqualTo(PluginDiscovery.SERVICE_LOAD);
        assertThatThrownBy(() -> PluginDiscovery.parse("scan_all")).hasMessageContaining("scan_all");
    }

    @Test
    void shouldPreferThePluginPathsCopyOfABuiltInPluginOfTheSameVersion() throws Exception {
        String source = UNLISTED.replace("return \"1\";", "return \"2.0\";");
        Path hubJar = new PluginJarBuilder(workDir)
                .source("com.example.a.UnlistedSinkConnector", source)
                .service(SinkConnector.class, "com.example.a.UnlistedSinkConnector")
                .buildJar(workDir.resolve("builtin.jar"));
        Path pluginPath = Files.createDirectories(workDir.resolve("plugins"));
        new PluginJarBuilder(workDir)
                .source("com.example.a.UnlistedSinkConnector", source)
                .service(SinkConnector.class, "com.example.a.UnlistedSinkConnector")
                .buildJar(pluginPath.resolve("same-version.jar"));

        try (URLClassLoader hub = new URLClassLoader(
                        new URL[] {hubJar.toUri().toURL()}, getClass().getClassLoader());
                Plugins plugins = PluginScanner.scan(List.of(pluginPath), hub)) {
            assertThat(plugins.list(PluginType.SINK))
                    .filteredOn(p -> p.className().equals("com.example.a.UnlistedSinkConnector"))
                    .hasSize(2);
            assertThat(plugins.pluginClass("UnlistedSink", SinkConnector.class).getClassLoader())
                    .isInstanceOf(PluginClassLoader.class);
            assertThat(Class.forName("com.example.a.UnlistedSinkConnector", false, plugins.classLoader())
                            .getClassLoader())
                    .isInstanceOf(PluginClassLoader.class);
        }
    }
}
