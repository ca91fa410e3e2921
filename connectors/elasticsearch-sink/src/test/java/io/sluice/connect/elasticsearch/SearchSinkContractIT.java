package io.sluice.connect.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.SearchNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the sink must do against any supported cluster, driven through the task with SinkRecords;
 * subclasses start the real node. One node per class; each test writes its own index.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SearchSinkContractIT {

    static final Schema ROW = SchemaBuilder.struct()
            .name("shop.orders.Value")
            .field("id", Schema.INT64_SCHEMA)
            .field("customer", Schema.STRING_SCHEMA)
            .field("amount", Schema.INT64_SCHEMA)
            .field("created", Timestamp.builder().optional().build())
            .field(
                    "address",
                    SchemaBuilder.struct()
                            .optional()
                            .field("city", Schema.STRING_SCHEMA)
                            .build())
            .build();
    static final Schema KEY =
            SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();

    SearchNode node;
    IndexReader reader;

    abstract SearchNode startNode(Path dataDir);

    @BeforeAll
    void startCluster() {
        node = startNode(Path.of("target", getClass().getSimpleName() + "-" + System.nanoTime()));
        reader = new IndexReader(node.url());
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void shouldOverwriteByKeyAndDeleteOnTombstone() throws Exception {
        String topic = "Orders-Upsert";
        ElasticsearchSinkTask task = start(topic, Map.of(), false);
        task.put(List.of(
                row(topic, 0, 1, "ann", 10),
                row(topic, 1, 2, "bob", 20),
                row(topic, 2, 3, "cy", 30),
                row(topic, 3, 2, "bob", 25),
                tombstone(topic, 4, 3)));
        awaitCommitted(task, topic, 5);
        task.stop();

        String index = "orders-upsert";
        assertThat(reader.count(index)).isEqualTo(2);
        assertThat(reader.document(index, "2").path("amount").asLong()).isEqualTo(25);
        assertThat(reader.document(index, "2").path("address").path("city").asText())
                .isEqualTo("city-2");
        assertThat(reader.document(index, "3")).isNull();
        var properties = reader.properties(index);
        assertThat(properties.path("amount").path("type").asText()).isEqualTo("long");
        assertThat(properties.path("created").path("type").asText()).isEqualTo("date");
        assertThat(properties.path("customer").path("type").asText()).isEqualTo("text");
        assertThat(properties
                        .path("customer")
                        .path("fields")
                        .path("keyword")
                        .path("type")
                        .asText())
                .isEqualTo("keyword");
        assertThat(properties
                        .path("address")
                        .path("properties")
                        .path("city")
                        .path("type")
                        .asText())
                .isEqualTo("text");
    }

    @Test
    void shouldMergeFieldsWithUpsertWriteMethod() throws Exception {
        String topic = "profiles";
        ElasticsearchSinkTask task = start(topic, Map.of("write.method", "upsert", "schema.ignore", "true"), false);
        task.put(List.of(json(topic, 0, "p1", Map.of("name", "ann")), json(topic, 1, "p1", Map.of("city", "Oslo"))));
        awaitCommitted(task, topic, 2);
        task.stop();
        assertThat(reader.document("profiles", "p1").path("name").asText()).isEqualTo("ann");
        assertThat(reader.document("profiles", "p1").path("city").asText()).isEqualTo("Oslo");
    }

    @Test
    void shouldLeaveNoDuplicatesWhenReplayingAfterRestart() throws Exception {
        String offsetTopic = "clicks";
        String keyTopic = "customers";
        Map<String, String> offsetIds = Map.of("key.ignore", "true", "schema.ignore", "true");
        ElasticsearchSinkTask first = start(offsetTopic, offsetIds, false);
        first.put(clicks(offsetTopic, 0, 100));
        awaitCommitted(first, offsetTopic, 100);
        first.stop();
        ElasticsearchSinkTask second = start(offsetTopic, offsetIds, false);
        second.put(clicks(offsetTopic, 0, 150)); // the first 100 again, as after a crash before commit
        awaitCommitted(second, offsetTopic, 150);
        second.stop();
        assertThat(reader.count(offsetTopic)).isEqualTo(150);

        ElasticsearchSinkTask byKey = start(keyTopic, Map.of(), false);
        List<SinkRecord> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(row(keyTopic, i, i % 20, "c" + i, i));
        }
        byKey.put(rows);
        awaitCommitted(byKey, keyTopic, 60);
        byKey.stop();
        ElasticsearchSinkTask replay = start(keyTopic, Map.of(), false);
        replay.put(rows);
        awaitCommitted(replay, keyTopic, 60);
        replay.stop();
        assertThat(reader.count(keyTopic)).isEqualTo(20);
        assertThat(reader.document(keyTopic, "5").path("amount").asLong()).isEqualTo(45);
    }

    @Test
    void shouldSendMalformedDocumentToDeadLetterQueueAndIndexTheRest() throws Exception {
        String topic = "events-warn";
        FakeSinkTaskContext context = context(topic, true);
        ElasticsearchSinkTask task =
                start(context, Map.of("schema.ignore", "true", "behavior.on.malformed.documents", "warn"));
        task.put(List.of(json(topic, 0, "a", Map.of("amount", 5))));
        awaitCommitted(task, topic, 1); // the index now maps amount as long
        SinkRecord bad = json(topic, 1, "b", Map.of("amount", "not a number"));
        task.put(List.of(bad, json(topic, 2, "c", Map.of("amount", 7))));
        awaitCommitted(task, topic, 3);
        task.stop();
        assertThat(context.deadLetters).containsExactly(bad);
        assertThat(reader.count(topic)).isEqualTo(2);
    }

    @Test
    void shouldFailTheTaskOnMalformedDocumentInFailMode() throws Exception {
        String topic = "events-fail";
        ElasticsearchSinkTask task = start(topic, Map.of("schema.ignore", "true"), true);
        task.put(List.of(json(topic, 0, "a", Map.of("amount", 5))));
        awaitCommitted(task, topic, 1);
        task.put(List.of(json(topic, 1, "b", Map.of("amount", "not a number"))));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThatThrownBy(() -> task.preCommit(Map.of()))
                        .isInstanceOf(ConnectException.class)
                        .hasMessageContaining("not a number"));
        assertThatThrownBy(() -> task.put(List.of())).isInstanceOf(ConnectException.class);
        task.stop();
    }

    @Test
    void shouldLoseNothingWhenTheNodeRestartsMidStream() throws Exception {
        String topic = "outage";
        FakeSinkTaskContext context = context(topic, false);
        ElasticsearchSinkTask task = start(
                context,
                Map.of(
                        "key.ignore", "true",
                        "schema.ignore", "true",
                        "batch.size", "50",
                        "max.buffered.records", "400",
                        "max.retries", "200",
                        "retry.backoff.ms", "100",
                        "retry.backoff.max.ms", "1000"));
        int total = 1500;
        int offset = 0;
        for (; offset < 500; offset += 50) {
            task.put(clicks(topic, offset, offset + 50));
        }
        node.stop();
        for (; offset < 1000; offset += 50) {
            task.put(clicks(topic, offset, offset + 50)); // the task pauses its partition meanwhile
        }
        assertThat(context.paused).as("paused while the node is down").isNotEmpty();
        node.restart();
        for (; offset < total; offset += 50) {
            task.put(clicks(topic, offset, offset + 50));
        }
        awaitCommitted(task, topic, total);
        task.stop();
        assertThat(context.pauses).isGreaterThan(0);
        assertThat(context.paused).as("resumed after the outage").isEmpty();
        assertThat(reader.count(topic)).isEqualTo(total);
    }

    // --- helpers

    ElasticsearchSinkTask start(String topic, Map<String, String> settings, boolean withReporter) {
        return start(context(topic, withReporter), settings);
    }

    FakeSinkTaskContext context(String topic, boolean withReporter) {
        return new FakeSinkTaskContext(Set.of(new TopicPartition(topic, 0)), withReporter);
    }

    ElasticsearchSinkTask start(FakeSinkTaskContext context, Map<String, String> settings) {
        Map<String, String> props = new HashMap<>(settings);
        props.put("connection.url", node.url());
        props.putIfAbsent("linger.ms", "5");
        props.putIfAbsent("read.timeout.ms", "10000");
        ElasticsearchSinkTask task = new ElasticsearchSinkTask();
        task.initialize(context);
        task.start(props);
        return task;
    }

    static void awaitCommitted(ElasticsearchSinkTask task, String topic, long next) {
        TopicPartition partition = new TopicPartition(topic, 0);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    task.put(List.of()); // as the framework does while partitions are paused
                    OffsetAndMetadata committed = task.preCommit(Map.of()).get(partition);
                    return committed != null && committed.offset() >= next;
                });
    }

    static SinkRecord row(String topic, long offset, long id, String customer, long amount) {
        Struct value = new Struct(ROW)
                .put("id", id)
                .put("customer", customer)
                .put("amount", amount)
                .put("created", new java.util.Date(1_700_000_000_000L + id))
                .put("address", new Struct(ROW.field("address").schema()).put("city", "city-" + id));
        return new SinkRecord(topic, 0, KEY, new Struct(KEY).put("id", id), ROW, value, offset);
    }

    static SinkRecord tombstone(String topic, long offset, long id) {
        return new SinkRecord(topic, 0, KEY, new Struct(KEY).put("id", id), null, null, offset);
    }

    static SinkRecord json(String topic, long offset, String key, Map<String, Object> value) {
        return new SinkRecord(topic, 0, null, key, null, value, offset);
    }

    static List<SinkRecord> clicks(String topic, int from, int to) {
        List<SinkRecord> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(new SinkRecord(topic, 0, null, null, null, Map.of("n", i, "page", "/p/" + i), i));
        }
        return records;
    }
}
