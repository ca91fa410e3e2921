package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.service.RestartRequest;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.core.status.TaskStatus;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.StatusStore;
import io.sluice.worker.testconnectors.CountingSinkConnector;
import io.sluice.worker.testconnectors.Received;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import io.sluice.worker.testconnectors.SequenceSourceTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing task is reported with its trace, restarted automatically with backoff, and given up on. */
class TaskFailureIT {

    @TempDir
    Path dir;

    private static Map<String, String> failingSource(String topic, Map<String, String> extra) {
        Map<String, String> c = new HashMap<>(Map.of(
                "connector.class", SequenceSourceConnector.class.getName(),
                "topic", topic,
                "count", "200",
                "batch.size", "10",
                "fail.at", "50",
                "tasks.max", "1",
                "sluice.restart.jitter", "0"));
        c.putAll(extra);
        return c;
    }

    private static Map<String, String> sink(String topic) {
        return Map.of("connector.class", CountingSinkConnector.class.getName(), "topics", topic, "tasks.max", "1");
    }

    private static TaskStatus status(TestWorker worker, String connector, int task) {
        return worker.connectors().taskStatus(new TaskId(connector, task));
    }

    /** The restart history as stored in the status topic (a fresh read of it). */
    private static List<StatusStore.Restart> storedRestarts(TestWorker worker, String connector, int task) {
        return new StatusStore(CompactedTopicMap.open(worker.log(), StatusStore.TOPIC))
                .task(connector, task)
                .map(StatusStore.Entry::restarts)
                .orElse(List.of());
    }

    @Test
    void shouldReportTheTraceRestartTheTaskAutomaticallyAndDeliverEveryRecord() {
        Received.clear("fail-sink-1");
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors()
                    .createConnector(
                            "fail-src-1",
                            failingSource(
                                    "f1", Map.of("fail.attempts", "1", "sluice.restart.initial.backoff.ms", "1500")),
                            TargetState.STARTED);
            worker.connectors().createConnector("fail-sink-1", sink("f1"), TargetState.STARTED);

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> status(worker, "fail-src-1", 0).state() == State.FAILED);
            assertThat(status(worker, "fail-src-1", 0).trace())
                    .contains("IllegalStateException")
                    .contains("planned failure at record 50");

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> status(worker, "fail-src-1", 0).state() == State.RUNNING
                            && SequenceSourceTask.starts("fail-src-1", 0) == 2);
            assertThat(status(worker, "fail-src-1", 0).trace()).isNull();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> PipelineIT.distinctValues("fail-sink-1").size() == 200);

            List<StatusStore.Restart> restarts = storedRestarts(worker, "fail-src-1", 0);
            assertThat(restarts).hasSize(1);
            assertThat(restarts.get(0).attempt()).isEqualTo(1);
            assertThat(restarts.get(0).reason()).contains("planned failure at record 50");
        }
    }

    @Test
    void shouldStopRestartingAfterMaxAttemptsAndRestartOnRequest() {
        Received.clear("fail-sink-2");
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors()
                    .createConnector(
                            "fail-src-2",
                            failingSource(
                                    "f2",
                                    Map.of(
                                            "fail.attempts", "3",
                                            "sluice.restart.initial.backoff.ms", "50",
                                            "sluice.restart.max.attempts", "2")),
                            TargetState.STARTED);
            worker.connectors().createConnector("fail-sink-2", sink("f2"), TargetState.STARTED);

            // first start + 2 automatic restarts, all failing; then no more
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> SequenceSourceTask.starts("fail-src-2", 0) == 3
                            && status(worker, "fail-src-2", 0).state() == State.FAILED);
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> SequenceSourceTask.starts("fail-src-2", 0) == 3
                            && status(worker, "fail-src-2", 0).state() == State.FAILED);
            assertThat(storedRestarts(worker, "fail-src-2", 0))
                    .extracting(StatusStore.Restart::attempt)
                    .containsExactly(1, 2);

            worker.connectors().restartTask(new TaskId("fail-src-2", 0));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> PipelineIT.distinctValues("fail-sink-2").size() == 200);
            assertThat(status(worker, "fail-src-2", 0).state()).isEqualTo(State.RUNNING);
            assertThat(SequenceSourceTask.starts("fail-src-2", 0)).isEqualTo(4);
            List<StatusStore.Restart> restarts = storedRestarts(worker, "fail-src-2", 0);
            assertThat(restarts).extracting(StatusStore.Restart::attempt).containsExactly(1, 2, 0);
            assertThat(restarts.get(2).reason()).isEqualTo("restart requested");
            // the same history is part of the task's status, as the REST API shows it
            assertThat(worker.connectors()
                            .taskStatus(new TaskId("fail-src-2", 0))
                            .restarts())
                    .extracting(e -> e.attempt())
                    .containsExactly(1, 2, 0);
        }
    }

    @Test
    void shouldRestartOnlyFailedTasksOrAllTasksAsRequested() {
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors()
                    .createConnector(
                            "fail-src-3",
                            failingSource(
                                    "f3",
                                    Map.of(
                                            "tasks.max", "2",
                                            "fail.task", "1",
                                            "fail.attempts", "1",
                                            "sluice.restart.enabled", "false")),
                            TargetState.STARTED);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> status(worker, "fail-src-3", 1).state() == State.FAILED
                            && status(worker, "fail-src-3", 0).state() == State.RUNNING);
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> status(worker, "fail-src-3", 1).state() == State.FAILED);

            // the connector alone: no task restarts
            worker.connectors().restartConnector(new RestartRequest("fail-src-3", false, false));
            assertThat(SequenceSourceTask.starts("fail-src-3", 0)).isEqualTo(1);
            assertThat(SequenceSourceTask.starts("fail-src-3", 1)).isEqualTo(1);
            assertThat(status(worker, "fail-src-3", 1).state()).isEqualTo(State.FAILED);

            // only the failed task
            worker.connectors().restartConnector(new RestartRequest("fail-src-3", true, true));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> status(worker, "fail-src-3", 1).state() == State.RUNNING);
            assertThat(SequenceSourceTask.starts("fail-src-3", 0)).isEqualTo(1);
            assertThat(SequenceSourceTask.starts("fail-src-3", 1)).isEqualTo(2);
            assertThat(worker.connectors()
                            .connectorStatus("fail-src-3")
                            .connector()
                            .state())
                    .isEqualTo(State.RUNNING);

            // everything
            worker.connectors().restartConnector(new RestartRequest("fail-src-3", false, true));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> worker.connectors().connectorStatus("fail-src-3").tasks().stream()
                            .allMatch(t -> t.state() == State.RUNNING));
            assertThat(SequenceSourceTask.starts("fail-src-3", 0)).isEqualTo(2);
            assertThat(SequenceSourceTask.starts("fail-src-3", 1)).isEqualTo(3);
        }
    }
}
