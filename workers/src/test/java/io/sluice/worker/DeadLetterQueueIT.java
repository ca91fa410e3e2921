package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.core.metrics.MetricNames;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.log.Header;
import io.sluice.log.Log;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import io.sluice.log.StoredRecord;
import io.sluice.log.TopicConfig;
import io.sluice.worker.testconnectors.CountingSinkConnector;
import io.sluice.worker.testconnectors.Received;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records that fail conversion, a transform or the sink itself go to the dead-letter topic; the rest flow. */
class DeadLetterQueueIT {

    private static final String H = "__connect.errors.";

    @TempDir
    Path dir;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<StoredRecord> readAll(Log log, String topic) {
        List<StoredRecord> out = new ArrayList<>();
        if (!log.topics().contains(topic)) {
            return out;
        }
        for (PartitionLog p : log.partitionsOf(topic)) {
            long offset = p.logStartOffset();
            while (offset < p.highWatermark()) {
                var result = p.fetch(offset, 1 << 20);
                out.addAll(result.records());
                offset = result.nextOffset();
            }
        }
        return out;
    }

    private static Map<String, String> headers(StoredRecord r) {
        Map<String, String> out = new HashMap<>();
        for (Header h : r.headers()) {
            out.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static Map<String, String> jsonSink(String topic, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(Map.of(
                "connector.class", CountingSinkConnector.class.getName(),
                "topics", topic,
                "tasks.max", "1",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "false",
                "key.converter", "org.apache.kafka.connect.json.JsonConverter",
                "key.converter.schemas.enable", "false"));
        c.putAll(extra);
        return c;
    }

    /** Appends 10 good JSON strings "good-0".."good-9" and, after good-3 and good-6, raw bytes that are not JSON. */
    private static void appendWithPoison(Log log, String topic) {
        log.createTopic(topic, Map.of(TopicConfig.PARTITIONS, "1"));
        List<Record> records = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < 10; i++) {
            records.add(Record.of(null, utf8("\"good-" + i + "\""), now));
            if (i == 3 || i == 6) {
                records.add(new Record(
                        null, utf8("{not json " + i), List.of(new Header("origin", utf8("test-" + i))), now));
            }
        }
        log.partition(topic, 0).append(records);
    }

    @Test
    void shouldSendRecordsTheSinkCannotConvertToTheDeadLetterTopicWithContextHeaders() {
        Received.clear("dlq-sink");
        try (TestWorker worker = TestWorker.start(dir)) {
            appendWithPoison(worker.log(), "in");
            worker.connectors()
                    .createConnector(
                            "dlq-sink",
                            jsonSink(
                                    "in",
                                    Map.of(
                                            "errors.tolerance", "all",
                                            "errors.deadletterqueue.topic.name", "in-dlq",
                                            "errors.deadletterqueue.context.headers.enable", "true",
                                            "report.value", "good-8")),
                            TargetState.STARTED);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> readAll(worker.log(), "in-dlq").size() >= 3
                            && Received.of("dlq-sink").count() >= 9);
            assertThat(Received.of("dlq-sink").records())
                    .extracting(SinkRecord::value)
                    .containsExactly(
                            "good-0", "good-1", "good-2", "good-3", "good-4", "good-5", "good-6", "good-7", "good-9");

            List<StoredRecord> dead = readAll(worker.log(), "in-dlq");
            assertThat(dead).hasSize(3);
            // conversion failures: the original bytes and headers, plus the context
            for (int i = 0; i < 2; i++) {
                StoredRecord r = dead.get(i);
                int n = i == 0 ? 3 : 6;
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{not json " + n);
                Map<String, String> h = headers(r);
                assertThat(h)
                        .containsEntry("origin", "test-" + n)
                        .containsEntry(H + "topic", "in")
                        .containsEntry(H + "partition", "0")
                        .containsEntry(H + "offset", Long.toString(n + 1 + i))
                        .containsEntry(H + "connector.name", "dlq-sink")
                        .containsEntry(H + "task.id", "0")
                        .containsEntry(H + "stage", "VALUE_CONVERTER")
                        .containsEntry(H + "class.name", "org.apache.kafka.connect.json.JsonConverter")
                        .containsEntry(H + "exception.class.name", "org.apache.kafka.connect.errors.DataException");
                assertThat(h.get(H + "exception.stacktrace")).contains("DataException");
            }
            // reported by the task through its ErrantRecordReporter: re-serialised with the sink's converter
            StoredRecord reported = dead.get(2);
            assertThat(new String(reported.value(), StandardCharsets.UTF_8)).isEqualTo("\"good-8\"");
            assertThat(headers(reported))
                    .containsEntry(H + "stage", "TASK_PUT")
                    .containsEntry(H + "offset", "10")
                    .containsEntry(H + "exception.message", "cannot write good-8");

            // a poison record last in the partition: its offset is committed too, so after a restart
            // neither it nor anything before it comes again
            worker.log()
                    .partition("in", 0)
                    .append(List.of(Record.of(null, utf8("{not json last"), System.currentTimeMillis())));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> readAll(worker.log(), "in-dlq").size() == 4);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> worker.connectors().offsets("dlq-sink").offsets().stream()
                            .anyMatch(o -> ((Number) o.offset().get("kafka_offset")).longValue() == 13));
            worker.connectors().restartTask(new TaskId("dlq-sink", 0));
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> Received.of("dlq-sink").count() == 9
                            && readAll(worker.log(), "in-dlq").size() == 4);
        }
    }

    @Test
    void shouldFailTheSinkTaskOnAPoisonRecordWithoutTolerance() {
        Received.clear("strict-sink");
        try (TestWorker worker = TestWorker.start(dir)) {
            appendWithPoison(worker.log(), "strict");
            worker.connectors()
                    .createConnector(
                            "strict-sink",
                            jsonSink("strict", Map.of("sluice.restart.enabled", "false")),
                            TargetState.STARTED);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> worker.connectors()
                                    .taskStatus(new TaskId("strict-sink", 0))
                                    .state()
                            == State.FAILED);
            assertThat(worker.connectors()
                            .taskStatus(new TaskId("strict-sink", 0))
                            .trace())
                    .contains("ToleranceExceededException")
                    .contains("DataException");
            assertThat(Received.of("strict-sink").records())
                    .extracting(SinkRecord::value)
                    .doesNotContain("good-4");
            assertThat(worker.log().topics()).doesNotContain("strict-dlq");
        }
    }

    private static Map<String, String> poisonSource(String topic, long count, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(Map.of(
                "connector.class", SequenceSourceConnector.class.getName(),
                "topic", topic,
                "count", Long.toString(count),
                "poison.every", "10",
                "tasks.max", "1",
                "transforms", "cast",
                "transforms.cast.type", "org.apache.kafka.connect.transforms.Cast$Value",
                "transforms.cast.spec", "int64"));
        c.putAll(extra);
        return c;
    }

    private static Set<Long> numbers(List<StoredRecord> records) {
        Set<Long> out = new TreeSet<>();
        for (StoredRecord r : records) {
            out.add(Long.parseLong(new String(r.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void shouldSendSourceRecordsATransformRejectsToTheDeadLetterTopic() {
        Map<String, String> errors = Map.of(
                "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", "src-dlq",
                "errors.deadletterqueue.context.headers.enable", "true",
                "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                "value.converter.schemas.enable", "false");
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors().createConnector("dlq-src", poisonSource("casted", 100, errors), TargetState.STARTED);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> readAll(worker.log(), "src-dlq").size() >= 10
                            && readAll(worker.log(), "casted").size() >= 90);
            Set<Long> expected = new TreeSet<>();
            for (long n = 0; n < 100; n++) {
                if (n % 10 != 9) {
                    expected.add(n);
                }
            }
            assertThat(readAll(worker.log(), "casted")).hasSize(90);
            assertThat(numbers(readAll(worker.log(), "casted"))).isEqualTo(expected);

            List<StoredRecord> dead = readAll(worker.log(), "src-dlq");
            assertThat(dead).hasSize(10);
            for (StoredRecord r : dead) {
                assertThat(headers(r))
                        .containsEntry(H + "topic", "casted")
                        .containsEntry(H + "connector.name", "dlq-src")
                        .containsEntry(H + "stage", "TRANSFORMATION")
                        .containsKey(H + "exception.class.name");
            }
            assertThat(dead)
                    .extracting(r -> headers(r).get(H + "exception.message"))
                    .anySatisfy(m -> assertThat(m).contains("poison-9"));
            assertThat(dlqRecordsMetric(worker, "dlq-src")).isEqualTo(10.0);

            // a new task instance (new config) reports its own dead letters in the task's meters
            worker.connectors().putConnectorConfig("dlq-src", poisonSource("casted", 400, errors));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> readAll(worker.log(), "src-dlq").size() >= 40);
            assertThat(readAll(worker.log(), "casted")).hasSize(360);
            assertThat(dlqRecordsMetric(worker, "dlq-src")).isEqualTo(30.0);
        }
    }

    private static double dlqRecordsMetric(TestWorker worker, String connector) {
        var counters = worker.bean(MeterRegistry.class)
                .find(MetricNames.DLQ_RECORDS)
                .tags(MetricNames.TAG_CONNECTOR, connector, MetricNames.TAG_TASK, "0")
                .functionCounters();
        assertThat(counters).hasSize(1);
        return counters.iterator().next().count();
    }

    @Test
    void shouldFailTheSourceTaskOnATransformErrorWithoutTolerance() {
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors()
                    .createConnector(
                            "strict-src",
                            poisonSource("strict-casted", 100, Map.of("sluice.restart.enabled", "false")),
                            TargetState.STARTED);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> worker.connectors()
                                    .taskStatus(new TaskId("strict-src", 0))
                                    .state()
                            == State.FAILED);
            assertThat(worker.connectors()
                            .taskStatus(new TaskId("strict-src", 0))
                            .trace())
                    .contains("ToleranceExceededException")
                    .contains("poison-9");
            // the failed poll's batch (records 0..99 in one poll) is not written
            assertThat(readAll(worker.log(), "strict-casted")).isEmpty();
        }
    }
}
