package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.core.service.BadRequestException;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.worker.testconnectors.CountingSinkConnector;
import io.sluice.worker.testconnectors.Received;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineIT {

    @TempDir
    Path dir;

    static Map<String, String> source(String topic, long count) {
        return Map.of(
                "connector.class",
                SequenceSourceConnector.class.getName(),
                "topic",
                topic,
                "count",
                Long.toString(count),
                "tasks.max",
                "2",
                "topic.creation.default.partitions",
                "3");
    }

    static Map<String, String> sink(String topics) {
        return Map.of("connector.class", CountingSinkConnector.class.getName(), "topics", topics, "tasks.max", "2");
    }

    @Test
    void shouldMoveEveryRecordFromSourceThroughTheLogToTheSinkInKeyOrder() {
        Received.clear("sink-a");
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors().createConnector("src-a", source("orders", 1000), TargetState.STARTED);
            worker.connectors().createConnector("sink-a", sink("orders"), TargetState.STARTED);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Received.of("sink-a").count() >= 2000);
            List<SinkRecord> got = Received.of("sink-a").records();
            assertThat(got).hasSize(2000);
            assertThat(worker.log().partitionsOf("orders")).hasSize(3);
            // equal keys land in one partition, and each task's sequence stays in order there
            Map<Object, Integer> partitionOfKey = new java.util.HashMap<>();
            for (SinkRecord r : got) {
                Integer previous = partitionOfKey.putIfAbsent(r.key(), r.kafkaPartition());
                assertThat(previous == null || previous.equals(r.kafkaPartition()))
                        .isTrue();
            }
            io.sluice.core.hub.HubQueries hub = worker.bean(io.sluice.core.hub.HubQueries.class);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> hub.history("src-a").size() == 2
                            && hub.history("src-a").stream()
                                    .allMatch(s -> !s.points().isEmpty()));
            assertThat(worker.connectors().activeTopics("src-a")).containsExactly("orders");
            assertThat(worker.connectors().activeTopics("sink-a")).containsExactly("orders");
            worker.connectors().resetActiveTopics("sink-a");
            assertThat(worker.connectors().activeTopics("sink-a")).isEmpty();
            assertThat(worker.connectors().connectorStatus("src-a").tasks())
                    .extracting(t -> t.state())
                    .containsOnly(State.RUNNING);
        }
    }

    @Test
    void shouldResumeAfterARestartWithoutLosingRecords() {
        Received.clear("sink-b");
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors().createConnector("src-b", source("t", 500), TargetState.STARTED);
            worker.connectors().createConnector("sink-b", sink("t"), TargetState.STARTED);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Received.of("sink-b").count() >= 1000);
        }
        int before = Received.of("sink-b").count();
        try (TestWorker worker = TestWorker.start(dir)) {
            assertThat(worker.connectors().connectorNames()).containsExactly("sink-b", "src-b");
            worker.connectors().putConnectorConfig("src-b", source("t", 800));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> distinctValues("sink-b").size() >= 1600);
            assertThat(distinctValues("sink-b")).hasSize(1600);
            int duplicates = Received.of("sink-b").count() - 1600;
            assertThat(duplicates)
                    .as("records delivered twice after a clean restart")
                    .isZero();
            assertThat(before).isEqualTo(1000);
        }
    }

    @Test
    void shouldResumeKafkasFileStreamSourceFromItsStoredPositionAfterARestart() throws Exception {
        // FileStreamSourceTask fails with "Offset position is the incorrect type" unless the stored
        // position comes back as a Long, as Kafka Connect hands it over.
        Received.clear("file-sink");
        Path input = dir.resolve("input.txt");
        java.nio.file.Files.writeString(input, "one\ntwo\nthree\n");
        Map<String, String> fileSource = Map.of(
                "connector.class",
                "org.apache.kafka.connect.file.FileStreamSourceConnector",
                "file",
                input.toString(),
                "topic",
                "lines");
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors().createConnector("file-src", fileSource, TargetState.STARTED);
            worker.connectors().createConnector("file-sink", sink("lines"), TargetState.STARTED);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Received.of("file-sink").count() >= 3);
        }
        java.nio.file.Files.writeString(input, "four\nfive\n", java.nio.file.StandardOpenOption.APPEND);
        try (TestWorker worker = TestWorker.start(dir)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Received.of("file-sink").count() >= 5);
            assertThat(Received.of("file-sink").records())
                    .extracting(SinkRecord::value)
                    .containsExactly("one", "two", "three", "four", "five");
            assertThat(worker.connectors().connectorStatus("file-src").tasks())
                    .extracting(t -> t.state())
                    .containsOnly(State.RUNNING);
        }
    }

    @Test
    void shouldPauseResumeAndStopAndComeBackInTheSameStateAfterRestart() {
        Received.clear("sink-c");
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors()
                    .createConnector(
                            "src-c",
                            Map.of(
                                    "connector.class",
                                    SequenceSourceConnector.class.getName(),
                                    "topic",
                                    "c",
                                    "poll.delay.ms",
                                    "20",
                                    "batch.size",
                                    "5"),
                            TargetState.STARTED);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> worker.log().topics().contains("c")
                            && worker.log().partition("c", 0).highWatermark() > 20);
            worker.connectors().pauseConnector("src-c");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> worker.connectors().connectorStatus("src-c").tasks().stream()
                            .allMatch(t -> t.state() == State.PAUSED));
            long paused = worker.log().partition("c", 0).highWatermark();
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> worker.log().partition("c", 0).highWatermark() == paused);
            worker.connectors().resumeConnector("src-c");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> worker.log().partition("c", 0).highWatermark() > paused);
            worker.connectors().stopConnector("src-c");
            assertThat(worker.connectors().connectorStatus("src-c").connector().state())
                    .isEqualTo(State.STOPPED);
            assertThat(worker.connectors().taskConfigs("src-c")).isEmpty();
        }
        try (TestWorker worker = TestWorker.start(dir)) {
            assertThat(worker.connectors().connectorStatus("src-c").connector().state())
                    .isEqualTo(State.STOPPED);
        }
    }

    @Test
    void shouldRejectBadConfigsNamingEveryField() {
        try (TestWorker worker = TestWorker.start(dir)) {
            assertThatThrownBy(() -> worker.connectors()
                            .createConnector(
                                    "bad",
                                    Map.of(
                                            "connector.class",
                                            CountingSinkConnector.class.getName(),
                                            "tasks.max",
                                            "zero"),
                                    TargetState.STARTED))
                    .isInstanceOfSatisfying(
                            BadRequestException.class,
                            e -> assertThat(e.fieldErrors())
                                    .extracting(BadRequestException.FieldError::field)
                                    .contains("tasks.max", "topics"));
            assertThat(worker.connectors().connectorNames()).isEmpty();
        }
    }

    static Set<Object> distinctValues(String connector) {
        Set<Object> out = new HashSet<>();
        Received.of(connector).records().forEach(r -> out.add(r.value()));
        return out;
    }
}
