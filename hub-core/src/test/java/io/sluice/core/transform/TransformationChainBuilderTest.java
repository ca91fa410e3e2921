package io.sluice.core.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.plugin.PluginScanner;
import io.sluice.core.plugin.Plugins;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TransformationChainBuilderTest {

    static Plugins plugins;

    static final Schema ORDER = SchemaBuilder.struct()
            .field("id", Schema.INT64_SCHEMA)
            .field("card", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    @BeforeAll
    static void scan() {
        plugins = PluginScanner.scan(List.of());
    }

    @AfterAll
    static void close() {
        plugins.close();
    }

    static SourceRecord record(String topic) {
        Struct value = new Struct(ORDER).put("id", 7L).put("card", "4111-1111");
        return new SourceRecord(Map.of(), Map.of(), topic, 0, ORDER, value);
    }

    static Map<String, String> guardedChain(boolean negate) {
        Map<String, String> config = new HashMap<>();
        config.put("transforms", "addOrigin,dropCard");
        config.put("transforms.addOrigin.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        config.put("transforms.addOrigin.static.field", "origin");
        config.put("transforms.addOrigin.static.value", "shop");
        config.put("transforms.addOrigin.predicate", "isOrders");
        config.put("transforms.addOrigin.negate", String.valueOf(negate));
        config.put("transforms.dropCard.type", "org.apache.kafka.connect.transforms.ReplaceField$Value");
        config.put("transforms.dropCard.exclude", "card");
        config.put("transforms.dropCard.predicate", "isOrders");
        config.put("transforms.dropCard.negate", String.valueOf(negate));
        config.put("predicates", "isOrders");
        config.put("predicates.isOrders.type", "TopicNameMatches");
        config.put("predicates.isOrders.pattern", "orders.*");
        return config;
    }

    @Test
    void shouldApplyGuardedTransformationsOnlyToMatchingTopics() {
        try (TransformationChain<SourceRecord> chain = TransformationChainBuilder.build(guardedChain(false), plugins)) {
            Struct matching = (Struct) chain.apply(record("orders-eu")).value();
            Struct other = (Struct) chain.apply(record("payments")).value();

            assertThat(matching.schema().fields()).extracting(f -> f.name()).containsExactly("id", "origin");
            assertThat(matching.get("origin")).isEqualTo("shop");
            assertThat(other.schema().fields()).extracting(f -> f.name()).containsExactly("id", "card");
            assertThat(other.get("card")).isEqualTo("4111-1111");
        }
    }

    @Test
    void shouldInvertTheGuardWithNegate() {
        try (TransformationChain<SourceRecord> chain = TransformationChainBuilder.build(guardedChain(true), plugins)) {
            Struct matching = (Struct) chain.apply(record("orders-eu")).value();
            Struct other = (Struct) chain.apply(record("payments")).value();

            assertThat(matching.schema().fields()).extracting(f -> f.name()).containsExactly("id", "card");
            assertThat(other.schema().fields()).extracting(f -> f.name()).containsExactly("id", "origin");
        }
    }

    @Test
    void shouldApplyTransformationsInConfiguredOrderWithoutPredicates() {
        Map<String, String> config = new HashMap<>();
        config.put("transforms", "route,prefix");
        config.put("transforms.route.type", "RegexRouter");
        config.put("transforms.route.regex", "orders");
        config.put("transforms.route.replacement", "sales");
        config.put("transforms.prefix.type", "RegexRouter");
        config.put("transforms.prefix.regex", "(.*)");
        config.put("transforms.prefix.replacement", "eu-$1");

        try (TransformationChain<SourceRecord> chain = TransformationChainBuilder.build(config, plugins)) {
            assertThat(chain.apply(record("orders")).topic()).isEqualTo("eu-sales");
            assertThat(chain.stages()).extracting(TransformationStage::alias).containsExactly("route", "prefix");
        }
    }

    @Test
    void shouldDropARecordWhenAStageReturnsNull() {
        Map<String, String> config = new HashMap<>();
        config.put("transforms", "dropTombstones,rename");
        config.put("transforms.dropTombstones.type", "org.apache.kafka.connect.transforms.Filter");
        config.put("transforms.dropTombstones.predicate", "isTombstone");
        config.put("transforms.rename.type", "RegexRouter");
        config.put("transforms.rename.regex", ".*");
        config.put("transforms.rename.replacement", "renamed");
        config.put("predicates", "isTombstone");
        config.put("predicates.isTombstone.type", "RecordIsTombstone");
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of(), "orders", 0, null, null);

        try (TransformationChain<SourceRecord> chain = TransformationChainBuilder.build(config, plugins)) {
            assertThat(chain.apply(tombstone)).isNull();
            assertThat(chain.apply(record("orders")).topic()).isEqualTo("renamed");
        }
    }

    @Test
    void shouldReturnRecordsUnchangedWithoutTransforms() {
        SourceRecord record = record("orders");
        try (TransformationChain<SourceRecord> chain = TransformationChainBuilder.build(Map.of(), plugins)) {
            assertThat(chain.apply(record)).isSameAs(record);
        }
    }

    @Test
    void shouldNameTheSettingOfAnUnknownTypeOrUndeclaredPredicate() {
        Map<String, String> unknown = Map.of("transforms", "x", "transforms.x.type", "com.example.Nope");
        Map<String, String> undeclared = new HashMap<>(guardedChain(false));
        undeclared.remove("predicates");

        assertThatThrownBy(() -> TransformationChainBuilder.build(unknown, plugins))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transforms.x.type")
                .hasMessageContaining("com.example.Nope");
        assertThatThrownBy(() -> TransformationChainBuilder.build(undeclared, plugins))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transforms.addOrigin.predicate");
    }

    @Test
    void shouldReportAPluginRejectingItsSettingsOnTheTypeSetting() {
        Map<String, String> config = Map.of(
                "transforms", "route",
                "transforms.route.type", "RegexRouter"); // regex and replacement are required

        assertThatThrownBy(() -> TransformationChainBuilder.build(config, plugins))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("transforms.route.type");
    }
}
