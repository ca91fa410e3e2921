package io.sluice.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.plugin.PluginScanner;
import io.sluice.core.plugin.Plugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReferenceResolverTest {

    static Plugins plugins;

    @TempDir
    Path dir;

    @BeforeAll
    static void scan() {
        plugins = PluginScanner.scan(List.of());
    }

    @AfterAll
    static void close() {
        plugins.close();
    }

    static Map<String, String> worker() {
        return Map.of(
                "config.providers", "file,dir,env",
                "config.providers.file.class", FileConfigProvider.class.getName(),
                "config.providers.dir.class", "DirectoryConfigProvider",
                "config.providers.env.class", "EnvVar");
    }

    @Test
    void shouldResolveFileDirectoryAndEnvironmentReferencesAndLeaveTheStoredConfigAlone() throws Exception {
        Path props = Files.writeString(dir.resolve("db.properties"), "db.password=pg-s3cret\n");
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("token"), "tok-123");
        Map<String, String> stored = new HashMap<>();
        stored.put("connection.password", "${file:" + props + ":db.password}");
        stored.put("api.token", "${dir:" + secrets + ":token}");
        stored.put("search.path", "${env:PATH}");
        stored.put("plain", "value");

        try (ConfigProviders providers = ConfigProviders.fromWorkerConfig(worker(), plugins)) {
            Map<String, String> resolved = new ConfigReferenceResolver(providers).resolve(stored);

            assertThat(resolved)
                    .containsEntry("connection.password", "pg-s3cret")
                    .containsEntry("api.token", "tok-123")
                    .containsEntry("search.path", System.getenv("PATH"))
                    .containsEntry("plain", "value");
            assertThat(stored.get("connection.password")).startsWith("${file:");
        }
    }

    @Test
    void shouldLeaveReferencesToUnknownProvidersAsWritten() {
        try (ConfigProviders providers = ConfigProviders.fromWorkerConfig(Map.of(), plugins)) {
            Map<String, String> resolved =
                    new ConfigReferenceResolver(providers).resolve(Map.of("password", "${vault:db:pw}"));

            assertThat(resolved).containsEntry("password", "${vault:db:pw}");
        }
    }

    @Test
    void shouldFailWhenAReferencedFileCannotBeRead() {
        try (ConfigProviders providers = ConfigProviders.fromWorkerConfig(worker(), plugins)) {
            ConfigReferenceResolver resolver = new ConfigReferenceResolver(providers);
            Map<String, String> config = Map.of("password", "${file:" + dir.resolve("missing.properties") + ":pw}");

            assertThatThrownBy(() -> resolver.resolve(config)).isInstanceOf(ConfigException.class);
        }
    }

    @Test
    void shouldPassParamsToProviders() {
        Map<String, String> worker = new HashMap<>(worker());
        worker.put("config.providers.env.param.allowlist.pattern", "^NOTHING_MATCHES$");

        try (ConfigProviders providers = ConfigProviders.fromWorkerConfig(worker, plugins)) {
            Map<String, String> resolved = new ConfigReferenceResolver(providers).resolve(Map.of("p", "${env:PATH}"));

            assertThat(resolved.get("p")).isNotEqualTo(System.getenv("PATH"));
        }
    }

    @Test
    void shouldNameTheSettingOfAnUnknownProviderClass() {
        Map<String, String> worker =
                Map.of("config.providers", "vault", "config.providers.vault.class", "VaultProvider");

        assertThatThrownBy(() -> ConfigProviders.fromWorkerConfig(worker, plugins))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.providers.vault.class");
    }

    @Test
    void shouldDetectReferences() {
        assertThat(ConfigReferenceResolver.hasReferences(Map.of("a", "x", "b", "${env:HOME}")))
                .isTrue();
        assertThat(ConfigReferenceResolver.hasReferences(Map.of("a", "$HOME", "b", "{x}")))
                .isFalse();
    }
}
