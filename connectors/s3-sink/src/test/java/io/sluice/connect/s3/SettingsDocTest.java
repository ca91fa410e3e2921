package io.sluice.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * The settings table in {@code SETTINGS.md} is rendered from {@link S3SinkConfig#CONFIG_DEF}, so
 * the documented defaults cannot drift from the code. After changing a setting, regenerate it with
 * {@code ./mvnw -pl connectors/s3-sink test -Dtest=SettingsDocTest -Dsluice.regenerate=true}.
 */
class SettingsDocTest {

    private static final Path DOC = Path.of("SETTINGS.md");

    @Test
    void shouldDocumentEverySettingAsDeclared() throws IOException {
        String rendered = render();
        if (Boolean.getBoolean("sluice.regenerate")) {
            Files.writeString(DOC, rendered);
        }
        assertThat(Files.readString(DOC)).isEqualTo(rendered);
    }

    static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# S3 sink settings\n\n")
                .append("Rendered from `S3SinkConfig` by `SettingsDocTest`; do not edit by hand.\n");
        String group = null;
        List<ConfigDef.ConfigKey> keys = S3SinkConfig.CONFIG_DEF.configKeys().values().stream()
                .sorted(java.util.Comparator.comparingInt(
                        k -> S3SinkConfig.CONFIG_DEF.groups().indexOf(k.group)))
                .toList();
        for (ConfigDef.ConfigKey key : keys) {
            if (!key.group.equals(group)) {
                group = key.group;
                md.append("\n## ")
                        .append(group)
                        .append("\n\n")
                        .append("| setting | type | default | valid values | meaning |\n")
                        .append("| --- | --- | --- | --- | --- |\n");
            }
            md.append("| `")
                    .append(key.name)
                    .append("` | ")
                    .append(key.type.name().toLowerCase())
                    .append(" | ")
                    .append(defaultOf(key))
                    .append(" | ")
                    .append(
                            key.validator == null
                                    ? ""
                                    : key.validator.toString().replace("|", "\\|"))
                    .append(" | ")
                    .append(key.documentation.replace("|", "\\|"))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "required";
        }
        Object value = key.defaultValue;
        String text = value instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList())
                : key.type == ConfigDef.Type.PASSWORD ? "" : String.valueOf(value);
        return text.isEmpty() ? "\"\"" : "`" + text + "`";
    }
}
