package io.sluice.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.fixtures.TestSinkConnector;
import io.sluice.core.fixtures.TestSourceConnector;
import io.sluice.core.plugin.PluginScanner;
import io.sluice.core.plugin.Plugins;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConnectorValidatorTest {

    static Plugins plugins;
    final ConnectorValidator validator = new ConnectorValidator(plugins);

    @BeforeAll
    static void scan() {
        plugins = PluginScanner.scan(List.of());
    }

    @AfterAll
    static void close() {
        plugins.close();
    }

    static Map<String, String> validSink() {
        Map<String, String> config = new HashMap<>();
        config.put("name", "orders-sink");
        config.put("connector.class", "TestSink");
        config.put("topics", "orders");
        config.put(TestSinkConnector.URL, "http://example.invalid");
        return config;
    }

    @Test
    void shouldAcceptAValidSinkConfigAndDescribeEverySetting() {
        ConfigInfos result = validator.validate(validSink());

        assertThat(result.errorCount()).as(result.toString()).isZero();
        assertThat(result.name()).isEqualTo("TestSink");
        assertThat(result.groups()).contains("Common", "Transforms", "Error Handling", "Automatic Restart", "Sink");
        ConfigInfo tasksMax = result.config("tasks.max").orElseThrow();
        assertThat(tasksMax.definition())
                .isEqualTo(new ConfigKeyInfo(
                        "tasks.max",
                        "INT",
                        false,
                        "1",
                        "HIGH",
                        tasksMax.definition().documentation(),
                        "Common",
                        3,
                        "SHORT",
                        "Tasks max",
                        List.of()));
        assertThat(tasksMax.value()).isEqualTo(new ConfigValueInfo("tasks.max", "1", List.of(), List.of(), true));
        assertThat(result.config("name").orElseThrow().definition().required()).isTrue();
        assertThat(result.config(TestSinkConnector.URL)).isPresent();
        assertThat(result.config("errors.deadletterqueue.topic.name")).isPresent();
    }

    @Test
    void shouldReportEveryErrorAtOnceEachOnItsField() {
        Map<String, String> config = validSink();
        config.remove("topics");
        config.remove(TestSinkConnector.URL);
        config.put("tasks.max", "zero");
        config.put("errors.tolerance", "sometimes");
        config.put("transforms", "mask");
        config.put("transforms.mask.type", "com.example.NoSuchTransformation");

        ConfigInfos result = validator.validate(config);

        assertThat(result.errors("topics")).singleElement().asString().contains("topics.regex");
        assertThat(result.errors("tasks.max")).singleElement().asString().contains("zero");
        assertThat(result.errors("errors.tolerance")).singleElement().asString().contains("sometimes");
        assertThat(result.errors("transforms.mask.type"))
                .singleElement()
                .asString()
                .contains("com.example.NoSuchTransformation");
        assertThat(result.errors(TestSinkConnector.URL))
                .singleElement()
                .asString()
                .contains("sink.url");
        assertThat(result.errorCount())
                .isEqualTo(result.configs().stream()
                        .mapToInt(c -> c.value().errors().size())
                        .sum())
                .isGreaterThanOrEqualTo(6);
    }

    @Test
    void shouldRejectBothTopicsAndTopicsRegex() {
        Map<String, String> config = validSink();
        config.put("topics.regex", "orders-.*");

        ConfigInfos result = validator.validate(config);

        assertThat(result.errors("topics")).isNotEmpty();
        assertThat(result.errors("topics.regex")).isNotEmpty();
        assertThat(result.errorCount()).isEqualTo(2);
    }

    @Test
    void shouldReportUnknownConnectorClassAndStillCheckTheRest() {
        Map<String, String> config = validSink();
        config.put("connector.class", "com.example.MissingConnector");
        config.put("tasks.max", "-3");

        ConfigInfos result = validator.validate(config);

        assertThat(result.errors("connector.class"))
                .singleElement()
                .asString()
                .contains("com.example.MissingConnector");
        assertThat(result.errors("tasks.max")).isNotEmpty();
    }

    @Test
    void shouldReportMissingRequiredNameAndConnectorClass() {
        ConfigInfos result = validator.validate(Map.of());

        assertThat(result.errors("name")).singleElement().asString().contains("name");
        assertThat(result.errors("connector.class")).singleElement().asString().contains("connector.class");
    }

    @Test
    void shouldAddEachTransformationsOwnSettingsAndCheckPredicateReferences() {
        Map<String, String> config = validSink();
        config.put("transforms", "addSource");
        config.put("transforms.addSource.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        config.put("transforms.addSource.static.field", "source");
        config.put("transforms.addSource.predicate", "isOrders");

        ConfigInfos result = validator.validate(config);

        ConfigInfo staticField =
                result.config("transforms.addSource.static.field").orElseThrow();
        assertThat(staticField.definition().group()).isEqualTo("Transforms: addSource");
        assertThat(staticField.value().value()).isEqualTo("source");
        assertThat(result.config("transforms.addSource.negate")
                        .orElseThrow()
                        .definition()
                        .type())
                .isEqualTo("BOOLEAN");
        assertThat(result.errors("transforms.addSource.predicate"))
                .singleElement()
                .asString()
                .contains("isOrders");
        assertThat(result.groups()).contains("Transforms: addSource");
    }

    @Test
    void shouldRejectAClassOfTheWrongKindAsTransformationType() {
        Map<String, String> config = validSink();
        config.put("transforms", "t");
        config.put("transforms.t.type", "org.apache.kafka.connect.json.JsonConverter");

        ConfigInfos result = validator.validate(config);

        assertThat(result.errors("transforms.t.type"))
                .singleElement()
                .asString()
                .contains("Transformation");
    }

    @Test
    void shouldResolveConverterAliases() {
        Map<String, String> config = validSink();
        config.put("value.converter", "JsonConverter");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");

        ConfigInfos result = validator.validate(config);

        assertThat(result.errorCount()).as(result.toString()).isZero();
        assertThat(result.config("value.converter").orElseThrow().value().value())
                .isEqualTo("org.apache.kafka.connect.json.JsonConverter");
    }

    @Test
    void shouldHidePasswordsAndNeverReturnResolvedReferences() {
        Map<String, String> config = validSink();
        config.put(TestSinkConnector.PASSWORD, "s3cret");
        config.put(TestSinkConnector.URL, "${vault:db:url}");
        ConnectorValidator resolving = new ConnectorValidator(plugins, raw -> {
            Map<String, String> out = new HashMap<>(raw);
            out.replaceAll((k, v) -> v.replace("${vault:db:url}", "http://user:pw@db"));
            return out;
        });

        ConfigInfos result = resolving.validate(config);

        assertThat(result.errorCount()).isZero();
        assertThat(result.config(TestSinkConnector.PASSWORD)
                        .orElseThrow()
                        .value()
                        .value())
                .isEqualTo("[hidden]");
        assertThat(result.config(TestSinkConnector.URL).orElseThrow().value().value())
                .isEqualTo("${vault:db:url}");
        assertThat(result.toString()).doesNotContain("s3cret").doesNotContain("user:pw");
    }

    @Test
    void shouldQuoteTheReferenceNotTheResolvedValueInErrorMessages() {
        Map<String, String> config = validSink();
        config.put("tasks.max", "${vault:db:count}");
        ConnectorValidator resolving = new ConnectorValidator(plugins, raw -> {
            Map<String, String> out = new HashMap<>(raw);
            out.replaceAll((k, v) -> v.replace("${vault:db:count}", "not-a-number-s3cret"));
            return out;
        });

        ConfigInfos result = resolving.validate(config);

        assertThat(result.errors("tasks.max")).singleElement().asString().contains("${vault:db:count}");
        assertThat(result.toString()).doesNotContain("s3cret");
    }

    @Test
    void shouldAddThePolicysErrorsOnTheirFields() {
        ConnectorValidator confined = new ConnectorValidator(
                plugins, (connectorClass, c) -> Map.of(TestSinkConnector.URL, "refused for " + connectorClass));

        ConfigInfos result = confined.validate(validSink());

        assertThat(result.errors(TestSinkConnector.URL))
                .singleElement()
                .asString()
                .startsWith("refused for ");
    }

    @Test
    void shouldReportAReferenceThatCannotBeResolvedOnItsField() {
        Map<String, String> config = validSink();
        config.put(TestSinkConnector.URL, "${file:/nowhere:url}");
        ConnectorValidator failing = new ConnectorValidator(plugins, raw -> {
            throw new IllegalArgumentException("no such file /nowhere");
        });

        ConfigInfos result = failing.validate(config);

        assertThat(result.errors(TestSinkConnector.URL))
                .singleElement()
                .asString()
                .contains("/nowhere");
    }

    @Test
    void shouldRejectADeadLetterTopicTheSinkConsumes() {
        Map<String, String> config = validSink();
        config.remove("topics");
        config.put("topics.regex", "orders.*");
        config.put("errors.deadletterqueue.topic.name", "orders-dlq");

        ConfigInfos result = validator.validate(config);

        assertThat(result.errors("errors.deadletterqueue.topic.name"))
                .singleElement()
                .asString()
                .contains("orders-dlq");
    }

    @Test
    void shouldValidateSourceSettingsAndAllowADeadLetterQueue() {
        Map<String, String> config = new HashMap<>();
        config.put("name", "files");
        config.put("connector.class", TestSourceConnector.class.getName());
        config.put(TestSourceConnector.PATH, "/tmp/in");
        config.put("errors.deadletterqueue.topic.name", "files-dlq");
        config.put("topic.creation.default.partitions", "3");
        config.put("topic.creation.groups", "compacted");
        config.put("exactly.once.support", "required");

        ConfigInfos result = validator.validate(config);

        assertThat(result.errors("errors.deadletterqueue.topic.name")).isEmpty();
        assertThat(result.errors("topic.creation.default.replication.factor"))
                .as("Sluice defaults the replication factor")
                .isEmpty();
        assertThat(result.errors("topic.creation.compacted.include"))
                .singleElement()
                .asString()
                .contains("needs topic.creation.compacted.include");
        assertThat(result.config("topics")).isEmpty();
        assertThat(result.errorCount()).isEqualTo(1);
    }

    @Test
    void shouldRejectAMaximumRestartBackoffBelowTheInitialOne() {
        Map<String, String> config = validSink();
        config.put("sluice.restart.initial.backoff.ms", "5000");
        config.put("sluice.restart.max.backoff.ms", "1000");

        ConfigInfos result = validator.validate(config);

        assertThat(result.errors("sluice.restart.max.backoff.ms"))
                .singleElement()
                .asString()
                .contains("5000");
    }
}
