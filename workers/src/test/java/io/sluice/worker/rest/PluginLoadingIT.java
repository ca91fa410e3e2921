package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.plugin.PluginJarBuilder;
import io.sluice.worker.TestWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.runtime.InternalSinkRecord;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker with a plugin path holding a plugin that uses Kafka's connect-runtime classes (and
 * bundles its own connect-runtime jar, as users did to work around their absence), a plugin whose
 * manifest names a missing class, and a corrupt jar: the worker starts, serves the good plugins
 * and reports the bad ones.
 */
class PluginLoadingIT {

    private static final String RUNTIME_USER = """
            package com.example.rt;
            import java.util.*;
            import org.apache.kafka.common.config.ConfigDef;
            import org.apache.kafka.connect.connector.Task;
            import org.apache.kafka.connect.sink.SinkConnector;
            public class RuntimeUserSinkConnector extends SinkConnector {
                public String version() {
                    ClassLoader runtime = org.apache.kafka.connect.runtime.InternalSinkRecord.class.getClassLoader();
                    return runtime == SinkConnector.class.getClassLoader() ? "runtime-from-hub" : "runtime-from-plugin";
                }
                public void start(Map<String, String> props) {}
                public Class<? extends Task> taskClass() { return null; }
                public List<Map<String, String>> taskConfigs(int max) { return List.of(); }
                public void stop() {}
                public ConfigDef config() { return new ConfigDef(); }
            }
            """;

    @TempDir
    static Path dir;

    static TestWorker worker;
    static Http http;
    static Path pluginPath;

    @BeforeAll
    static void start() throws Exception {
        pluginPath = Files.createDirectories(dir.resolve("plugins"));
        Path runtimeJar = Path.of(InternalSinkRecord.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path runtimeUser = Files.createDirectories(pluginPath.resolve("runtime-user"));
        Files.copy(runtimeJar, runtimeUser.resolve(runtimeJar.getFileName()));
        new PluginJarBuilder(dir)
                .classpath(runtimeJar)
                .source("com.example.rt.RuntimeUserSinkConnector", RUNTIME_USER)
                .service(SinkConnector.class, "com.example.rt.RuntimeUserSinkConnector")
                .buildJar(runtimeUser.resolve("runtime-user.jar"));
        new PluginJarBuilder(dir)
                .source("com.example.gone.Placeholder", "package com.example.gone; public class Placeholder {}")
                .service(SourceConnector.class, "com.example.gone.GoneSourceConnector")
                .buildJar(pluginPath.resolve("names-a-missing-class.jar"));
        Files.write(pluginPath.resolve("corrupt.jar"), "not a zip".getBytes());

        worker = TestWorker.start(dir, "sluice.plugin-path=" + pluginPath);
        http = new Http(worker.port());
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    void shouldGivePluginsKafkasRuntimeClassesFromTheHubEvenWhenTheyBundleACopy() {
        JsonNode plugins = http.get("/connector-plugins").json();
        List<String> versions = new ArrayList<>();
        plugins.forEach(p -> {
            if (p.get("class").asText().equals("com.example.rt.RuntimeUserSinkConnector")) {
                versions.add(p.get("version").asText());
            }
        });
        assertThat(versions).containsExactly("runtime-from-hub");
    }

    @Test
    void shouldReportPluginsThatCannotLoadWhileTheWorkerRuns() {
        Http.Response problems = http.get("/hub/plugins/problems");
        assertThat(problems.status()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        problems.json()
                .forEach(p -> lines.add(p.get("severity").asText() + " "
                        + Path.of(p.get("location").asText()).getFileName() + " "
                        + (p.has("class") ? p.get("class").asText() : "-")));
        assertThat(lines)
                .contains(
                        "error names-a-missing-class.jar com.example.gone.GoneSourceConnector", "error corrupt.jar -");
        assertThat(problems.text()).doesNotContain("\tat ");
        assertThat(http.get("/connectors").status()).isEqualTo(200);
    }
}
