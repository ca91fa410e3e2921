package io.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.connect.health.ConnectorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement as {@link AssignmentSync} carries it out: this worker runs exactly what the ownership
 * gives it, under the given epoch, and follows when that changes; a single worker takes the same
 * path with everything given to it.
 */
class AssignmentSyncTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldStartOnlyTheTasksTheOwnershipGivesThisWorker() {
        RuntimeFixture.TestOwnership ownership = new RuntimeFixture.TestOwnership().give("c", 1, 0);
        try (RuntimeFixture fixture = RuntimeFixture.start(dir, ownership, Duration.ofSeconds(5))) {
            fixture.runtime.create("c", RuntimeFixture.sequenceSource(2, 50), TargetState.STARTED);

            await().atMost(WAIT).until(() -> running(fixture, new TaskId("c", 0)));
            assertThat(fixture.runtime.info("c").tasks()).hasSize(2);
            assertThat(ownership.events()).containsExactly("started c-0@1");
            assertThat(fixture.runtime.taskStatus(new TaskId("c", 1))).isEmpty();
        }
    }

    @Test
    void shouldStopAndReleaseATaskTakenAwayAndStartOneGiven() {
        RuntimeFixture.TestOwnership ownership = new RuntimeFixture.TestOwnership().give("c", 1, 0);
        try (RuntimeFixture fixture = RuntimeFixture.start(dir, ownership, Duration.ofSeconds(5))) {
            fixture.runtime.create("c", RuntimeFixture.sequenceSource(2, 50), TargetState.STARTED);
            await().atMost(WAIT).until(() -> running(fixture, new TaskId("c", 0)));

            ownership
                    .takeTask(new TaskId("c", 0))
                    .giveTask(new TaskId("c", 1), 2)
                    .changed();

            await().atMost(WAIT).until(() -> ownership.events().contains("released c-0@1"));
            await().atMost(WAIT).until(() -> running(fixture, new TaskId("c", 1)));
            assertThat(ownership.events()).containsExactly("started c-0@1", "released c-0@1", "started c-1@2");
        }
    }

    @Test
    void shouldRestartATaskWhoseEpochChanged() {
        RuntimeFixture.TestOwnership ownership = new RuntimeFixture.TestOwnership().give("c", 1, 0);
        try (RuntimeFixture fixture = RuntimeFixture.start(dir, ownership, Duration.ofSeconds(5))) {
            fixture.runtime.create("c", RuntimeFixture.sequenceSource(1, 50), TargetState.STARTED);
            await().atMost(WAIT).until(() -> running(fixture, new TaskId("c", 0)));

            ownership.giveTask(new TaskId("c", 0), 3).changed();

            await().atMost(WAIT).until(() -> ownership.events().contains("started c-0@3"));
            assertThat(ownership.events()).containsExactly("started c-0@1", "released c-0@1", "started c-0@3");
        }
    }

    @Test
    void shouldMirrorAConnectorWhoseInstanceRunsElsewhereWithoutStartingIt() {
        RuntimeFixture.TestOwnership ownership = new RuntimeFixture.TestOwnership();
        try (RuntimeFixture fixture = RuntimeFixture.start(dir, ownership, Duration.ofSeconds(5))) {
            fixture.runtime.create("elsewhere", RuntimeFixture.sequenceSource(1, 50), TargetState.STARTED);

            assertThat(fixture.runtime.type("elsewhere")).isEqualTo(ConnectorType.SOURCE);
            assertThat(fixture.runtime.connectorStatus("elsewhere").state()).isEqualTo(State.UNASSIGNED);
            assertThat(fixture.runtime.info("elsewhere").tasks())
                    .as("no task configs: the connector instance runs nowhere yet")
                    .isEmpty();
            assertThat(ownership.events()).isEmpty();

            ownership.give("elsewhere", 1, 0).changed();

            await().atMost(WAIT).until(() -> running(fixture, new TaskId("elsewhere", 0)));
            assertThat(fixture.runtime.connectorStatus("elsewhere").state()).isEqualTo(State.RUNNING);
        }
    }

    @Test
    void shouldBringBackEveryStoredConnectorOnASingleWorkerInItsTargetState() {
        try (RuntimeFixture fixture = RuntimeFixture.singleWorker(dir)) {
            fixture.runtime.create("running", RuntimeFixture.sequenceSource(2, 50), TargetState.STARTED);
            fixture.runtime.create("paused", RuntimeFixture.sequenceSource(1, 50), TargetState.PAUSED);
            await().atMost(WAIT).until(() -> running(fixture, new TaskId("running", 1)));
        }
        try (RuntimeFixture fixture = RuntimeFixture.singleWorker(dir)) {
            await().atMost(WAIT)
                    .until(() ->
                            running(fixture, new TaskId("running", 0)) && running(fixture, new TaskId("running", 1)));
            await().atMost(WAIT)
                    .until(() -> fixture.runtime
                            .taskStatus(new TaskId("paused", 0))
                            .map(s -> s.state() == State.PAUSED)
                            .orElse(false));
            assertThat(fixture.runtime.connectorStatus("paused").state()).isEqualTo(State.PAUSED);
        }
    }

    @Test
    void shouldStopEveryTaskOfAStoppedConnectorAndClearItsTaskConfigs() {
        try (RuntimeFixture fixture = RuntimeFixture.singleWorker(dir)) {
            fixture.runtime.create("c", RuntimeFixture.sequenceSource(2, 50), TargetState.STARTED);
            await().atMost(WAIT).until(() -> running(fixture, new TaskId("c", 1)));

            fixture.runtime.stop("c");

            assertThat(fixture.runtime.connectorStatus("c").state()).isEqualTo(State.STOPPED);
            assertThat(fixture.runtime.taskStatuses("c")).isEmpty();
            assertThat(fixture.runtime.info("c").tasks()).isEmpty();

            fixture.runtime.resume("c");

            await().atMost(WAIT)
                    .until(() -> running(fixture, new TaskId("c", 0)) && running(fixture, new TaskId("c", 1)));
        }
    }

    private static boolean running(RuntimeFixture fixture, TaskId id) {
        return fixture.runtime
                .taskStatus(id)
                .map(s -> s.state() == State.RUNNING)
                .orElse(false);
    }
}
