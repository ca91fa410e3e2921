package io.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.service.NotFoundException;
import io.sluice.core.service.RestartRequest;
import io.sluice.core.status.RestartEvent;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.testconnectors.SequenceSourceTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts asked through the REST API or due after a failure: only what was asked, here when it
 * runs here, through its worker when it runs elsewhere.
 */
class RestartsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Two tasks; task 1 fails at its 3rd record on its first start only. */
    private static Map<String, String> secondTaskFailsOnce(boolean autoRestart) {
        Map<String, String> config = RuntimeFixture.sequenceSource(2, 20);
        config.put("fail.at", "3");
        config.put("fail.task", "1");
        config.put("fail.attempts", "1");
        config.put("sluice.restart.enabled", Boolean.toString(autoRestart));
        config.put("sluice.restart.initial.backoff.ms", "50");
        return config;
    }

    @Test
    void shouldRestartOnlyTheFailedTaskWhenAskedForFailedOnes() {
        String name = "only-failed";
        try (RuntimeFixture fixture = RuntimeFixture.singleWorker(dir)) {
            fixture.runtime.create(name, secondTaskFailsOnce(false), TargetState.STARTED);
            await().atMost(WAIT).until(() -> state(fixture, new TaskId(name, 1)) == State.FAILED);
            assertThat(state(fixture, new TaskId(name, 0))).isEqualTo(State.RUNNING);

            fixture.runtime.restart(new RestartRequest(name, true, true));

            await().atMost(WAIT).until(() -> state(fixture, new TaskId(name, 1)) == State.RUNNING);
            assertThat(SequenceSourceTask.starts(name, 1)).isEqualTo(2);
            assertThat(SequenceSourceTask.starts(name, 0)).isEqualTo(1);
            assertThat(fixture.runtime
                            .taskStatus(new TaskId(name, 1))
                            .orElseThrow()
                            .restarts())
                    .extracting(RestartEvent::reason)
                    .containsExactly("restart requested");
        }
    }

    @Test
    void shouldRestartAFailedTaskAutomaticallyAndRecordWhy() {
        String name = "auto";
        try (RuntimeFixture fixture = RuntimeFixture.singleWorker(dir)) {
            fixture.runtime.create(name, secondTaskFailsOnce(true), TargetState.STARTED);

            await().atMost(WAIT)
                    .until(() -> SequenceSourceTask.starts(name, 1) == 2
                            && state(fixture, new TaskId(name, 1)) == State.RUNNING);
            assertThat(fixture.runtime
                            .taskStatus(new TaskId(name, 1))
                            .orElseThrow()
                            .restarts())
                    .singleElement()
                    .satisfies(e -> assertThat(e.reason()).isNotEqualTo("restart requested"));
            assertThat(SequenceSourceTask.starts(name, 0)).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseToRestartATaskThatDoesNotExist() {
        try (RuntimeFixture fixture = RuntimeFixture.singleWorker(dir)) {
            fixture.runtime.create("one-task", RuntimeFixture.sequenceSource(1, 20), TargetState.STARTED);

            Assertions.assertThatThrownBy(() -> fixture.runtime.restartTask(new TaskId("one-task", 5), "why"))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void shouldAskTheWorkerThatRunsATaskToRestartIt() {
        String name = "elsewhere-restart";
        RuntimeFixture.TestOwnership ownership = new RuntimeFixture.TestOwnership().give(name, 1, 0);
        try (RuntimeFixture fixture = RuntimeFixture.start(dir, ownership, Duration.ofSeconds(5))) {
            fixture.runtime.create(name, RuntimeFixture.sequenceSource(2, 20), TargetState.STARTED);
            await().atMost(WAIT).until(() -> state(fixture, new TaskId(name, 0)) == State.RUNNING);

            fixture.runtime.restartTask(new TaskId(name, 1), "restart requested");

            ConfigStore.Restart stored = fixture.configs.restart(name).orElseThrow();
            assertThat(stored.task()).isEqualTo(1);
            assertThat(SequenceSourceTask.starts(name, 1)).isZero();
            assertThat(SequenceSourceTask.starts(name, 0)).isEqualTo(1);
        }
    }

    @Test
    void shouldRestartItsOwnPartWhenAnotherWorkerStoresARestartRequest() {
        String name = "cluster-restart";
        RuntimeFixture.TestOwnership ownership = new RuntimeFixture.TestOwnership().give(name, 1, 0);
        try (RuntimeFixture fixture = RuntimeFixture.start(dir, ownership, Duration.ofSeconds(5))) {
            fixture.runtime.create(name, RuntimeFixture.sequenceSource(2, 20), TargetState.STARTED);
            await().atMost(WAIT).until(() -> state(fixture, new TaskId(name, 0)) == State.RUNNING);

            fixture.configs.putRestart(name, new ConfigStore.Restart("request-1", null, false, true));

            await().atMost(WAIT).until(() -> SequenceSourceTask.starts(name, 0) == 2);
            await().atMost(WAIT).until(() -> state(fixture, new TaskId(name, 0)) == State.RUNNING);
            assertThat(ownership.events())
                    .containsExactly(
                            "started " + name + "-0@1", "released " + name + "-0@1", "started " + name + "-0@1");
        }
    }

    private static State state(RuntimeFixture fixture, TaskId id) {
        return fixture.runtime.taskStatus(id).map(s -> s.state()).orElse(null);
    }
}
