package io.sluice.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class S3SinkConnectorTest {

    private final S3SinkConnector connector = new S3SinkConnector(false);

    @Test
    void shouldReportEveryFieldErrorAtOnceEachNamingItsField() {
        Map<String, String> props = Map.of(
                "format.class", "avro",
                "partitioner.class", "io.confluent.connect.storage.partitioner.NoSuchPartitioner",
                "flush.size", "0",
                "s3.part.size", "1000");

        Map<String, String> errors = errorsOf(props);

        assertThat(errors)
                .containsOnlyKeys("s3.bucket.name", "format.class", "partitioner.class", "flush.size", "s3.part.size");
        assertThat(errors.get("format.class")).contains("io.confluent.connect.s3.format.json.JsonFormat");
    }

    @Test
    void shouldReportErrorsBetweenSettingsOnTheFieldTheyConcern() {
        Map<String, String> props = Map.of(
                "s3.bucket.name", "lake",
                "flush.size", "100",
                "format.class", "parquet",
                "s3.compression.type", "gzip",
                "partitioner.class", "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
                "timestamp.extractor", "RecordField",
                "timestamp.field", "",
                "aws.access.key.id", "AKIA...",
                "store.url", "not a url");

        Map<String, String> errors = errorsOf(props);

        assertThat(errors)
                .containsOnlyKeys(
                        "s3.compression.type",
                        "path.format",
                        "partition.duration.ms",
                        "timezone",
                        "timestamp.field",
                        "aws.secret.access.key",
                        "store.url");
    }

    @Test
    void shouldAcceptConfluentStyleSettings() {
        Map<String, String> props = new HashMap<>(Map.of(
                "s3.bucket.name", "lake",
                "flush.size", "1000",
                "format.class", "io.confluent.connect.s3.format.json.JsonFormat",
                "partitioner.class", "io.confluent.connect.storage.partitioner.HourlyPartitioner",
                "timestamp.extractor", "Record",
                "locale", "en-US",
                "timezone", "UTC",
                "aws.access.key.id", "id",
                "aws.secret.access.key", "secret"));

        assertThat(errorsOf(props)).isEmpty();
        connector.start(props);
        assertThat(connector.taskConfigs(2)).hasSize(2).allMatch(c -> c.equals(props));
    }

    @Test
    void shouldDeclareEverySettingWithDocGroupAndSecretAsPassword() {
        ConfigDef def = connector.config();
        assertThat(def.configKeys().values()).allSatisfy(key -> {
            assertThat(key.documentation).isNotBlank();
            assertThat(key.group).isNotBlank();
        });
        assertThat(def.configKeys().get("aws.secret.access.key").type).isEqualTo(ConfigDef.Type.PASSWORD);
    }

    @Test
    void shouldRefuseToStartATaskWithInvalidSettingsWithoutShowingTheSecret() {
        Map<String, String> props = Map.of(
                "s3.bucket.name",
                "lake",
                "flush.size",
                "10",
                "partitioner.class",
                "field",
                "aws.access.key.id",
                "id",
                "aws.secret.access.key",
                "very-secret-value");
        assertThatThrownBy(() -> new S3SinkTask().start(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("partition.field.name")
                .hasMessageNotContaining("very-secret-value");
    }

    private Map<String, String> errorsOf(Map<String, String> props) {
        return connector.validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, v -> String.join("; ", v.errorMessages())));
    }
}
