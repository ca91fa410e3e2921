package io.sluice.core.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Builds a plugin path with two plugins that bundle conflicting versions of {@code
 * com.example.lib.Version}:
 *
 * <ul>
 *   <li>{@code plugin-a.jar}: {@code com.example.a.AlphaSourceConnector} listed in a service
 *       manifest, with library version {@code lib-1.0};
 *   <li>{@code plugin-b/}: a folder holding {@code lib/version.jar} ({@code lib-2.0}) and {@code
 *       beta.jar} without manifests: {@code com.example.b.BetaSinkConnector} and {@code
 *       com.example.b.BetaConverter}, found by scanning.
 * </ul>
 */
public final class TestPlugins {

    public static final String ALPHA = "com.example.a.AlphaSourceConnector";
    public static final String BETA = "com.example.b.BetaSinkConnector";
    public static final String BETA_CONVERTER = "com.example.b.BetaConverter";

    private TestPlugins() {}

    static String versionSource(String value) {
        return """
                package com.example.lib;
                public class Version {
                    public static String value() { return "%s"; }
                }
                """.formatted(value);
    }

    private static final String ALPHA_SOURCE = """
            package com.example.a;
            import java.util.*;
            import org.apache.kafka.common.config.ConfigDef;
            import org.apache.kafka.connect.connector.Task;
            import org.apache.kafka.connect.source.SourceConnector;
            public class AlphaSourceConnector extends SourceConnector {
                public final ClassLoader constructedWith = Thread.currentThread().getContextClassLoader();
                public String version() { return com.example.lib.Version.value(); }
                public void start(Map<String, String> props) {}
                public Class<? extends Task> taskClass() { return null; }
                public List<Map<String, String>> taskConfigs(int max) { return List.of(); }
                public void stop() {}
                public ConfigDef config() {
                    return new ConfigDef().define("alpha.url", ConfigDef.Type.STRING,
                            ConfigDef.Importance.HIGH, "Where to read from");
                }
            }
            """;

    private static final String BETA_SINK = """
            package com.example.b;
            import java.util.*;
            import org.apache.kafka.common.config.ConfigDef;
            import org.apache.kafka.connect.connector.Task;
            import org.apache.kafka.connect.sink.SinkConnector;
            public class BetaSinkConnector extends SinkConnector {
                public String version() { return com.example.lib.Version.value(); }
                public void start(Map<String, String> props) {}
                public Class<? extends Task> taskClass() { return null; }
                public List<Map<String, String>> taskConfigs(int max) { return List.of(); }
                public void stop() {}
                public ConfigDef config() { return new ConfigDef(); }
            }
            """;

    private static final String BETA_CONVERTER_SOURCE = """
            package com.example.b;
            import java.util.Map;
            import org.apache.kafka.connect.data.*;
            import org.apache.kafka.connect.storage.Converter;
            public class BetaConverter implements Converter {
                public void configure(Map<String, ?> configs, boolean isKey) {}
                public byte[] fromConnectData(String topic, Schema schema, Object value) {
                    return com.example.lib.Version.value().getBytes();
                }
                public SchemaAndValue toConnectData(String topic, byte[] value) {
                    return new SchemaAndValue(Schema.STRING_SCHEMA, com.example.lib.Version.value());
                }
            }
            """;

    /** Creates {@code pluginPath/plugin-a.jar} and {@code pluginPath/plugin-b/}; returns pluginPath. */
    public static Path build(Path workDir) {
        try {
            Path pluginPath = Files.createDirectories(workDir.resolve("plugins"));
            new PluginJarBuilder(workDir)
                    .source("com.example.lib.Version", versionSource("lib-1.0"))
                    .source(ALPHA, ALPHA_SOURCE)
                    .service(SourceConnector.class, ALPHA)
                    .buildJar(pluginPath.resolve("plugin-a.jar"));

            Path pluginB = Files.createDirectories(pluginPath.resolve("plugin-b"));
            Path libJar = new PluginJarBuilder(workDir)
                    .source("com.example.lib.Version", versionSource("lib-2.0"))
                    .buildJar(Files.createDirectories(pluginB.resolve("lib")).resolve("version.jar"));
            new PluginJarBuilder(workDir)
                    .classpath(libJar)
                    .source(BETA, BETA_SINK)
                    .source(BETA_CONVERTER, BETA_CONVERTER_SOURCE)
                    .implementationVersion("9.9.9")
                    .buildJar(pluginB.resolve("beta.jar"));
            return pluginPath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
