package io.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's control loop: changes one at a time, reads that never wait for it. */
class ConnectorRuntimeTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryChangeOfPatchesRacingEachOther() throws Exception {
        try (RuntimeFixture fixture = RuntimeFixture.singleWorker(dir)) {
            fixture.runtime.create("racing", RuntimeFixture.sequenceSource(1, 100), TargetState.STOPPED);
            int rounds = 25;
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService patchers = Executors.newFixedThreadPool(2);
            try {
                Future<?> a = patchers.submit(() -> patchEach(fixture, "a.", rounds, together));
                Future<?> b = patchers.submit(() -> patchEach(fixture, "b.", rounds, together));
                a.get();
                b.get();
            } finally {
                patchers.shutdownNow();
            }

            Map<String, String> config = fixture.runtime.configOf("racing");
            for (int i = 0; i < rounds; i++) {
                assertThat(config).containsEntry("a." + i, "x").containsEntry("b." + i, "x");
            }
            assertThat(config).containsEntry("topic", "numbers");
        }
    }

    private static Void patchEach(RuntimeFixture fixture, String prefix, int rounds, CyclicBarrier together)
            throws Exception {
        for (int i = 0; i < rounds; i++) {
            together.await();
            Map<String, String> patch = new HashMap<>();
            patch.put(prefix + i, "x");
            fixture.runtime.patch("racing", patch);
        }
        return null;
    }

    @Test
    void shouldRemoveAKeyPatchedToNull() {
        try (RuntimeFixture fixture = RuntimeFixture.singleWorker(dir)) {
            fixture.runtime.create(
                    "patched",
                    RuntimeFixture.with(RuntimeFixture.sequenceSource(1, 100), "keys", "3"),
                    TargetState.STOPPED);
            Map<String, String> patch = new HashMap<>();
            patch.put("keys", null);

            fixture.runtime.patch("patched", patch);

            assertThat(fixture.runtime.configOf("patched"))
                    .doesNotContainKey("keys")
                    .containsKey("topic");
        }
    }

    @Test
    void shouldAnswerStatusWhileATaskIsStillStopping() throws Exception {
        // the task sleeps 10 minutes per poll, so stopping it takes the whole shutdown timeout
        try (RuntimeFixture fixture = RuntimeFixture.start(dir, Ownership.EVERYTHING, Duration.ofSeconds(8))) {
            fixture.runtime.create("sleepy", RuntimeFixture.sequenceSource(1, 600_000), TargetState.STARTED);
            TaskId task = new TaskId("sleepy", 0);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> fixture.runtime
                            .taskStatus(task)
                            .map(s -> s.state() == State.RUNNING)
                            .orElse(false));

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> fixture.runtime.stop("sleepy"));
            await().atMost(Duration.ofSeconds(30)).until(ConnectorRuntimeTest::controlThreadWaitsForATask);

            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                assertThat(fixture.runtime.connectorStatus("sleepy").state()).isEqualTo(State.RUNNING);
                assertThat(fixture.runtime.taskStatuses("sleepy")).hasSize(1);
                assertThat(fixture.runtime.info("sleepy").tasks()).containsExactly(task);
            });
            assertThat(stopping)
                    .as("the stop was still under way while status answered")
                    .isNotDone();

            stopping.get();
            assertThat(fixture.runtime.connectorStatus("sleepy").state()).isEqualTo(State.STOPPED);
        }
    }

    private static boolean controlThreadWaitsForATask() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().equals("sluice-runtime-control"))
                .anyMatch(e -> Arrays.stream(e.getValue())
                        .anyMatch(frame -> frame.getMethodName().equals("awaitStopped")));
    }
}
