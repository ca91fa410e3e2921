package io.sluice.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.worker.store.FencedWriteException;
import io.sluice.worker.store.TaskEpoch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The task template: start once, iterate until stopped, park while paused, shut down, report each step. */
class TaskRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A task kind whose hooks do what the test says and note that they ran. */
    private static final class ScriptedRunner extends TaskRunner {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger iterations = new AtomicInteger();
        volatile Exception failStart;
        volatile RuntimeException failIteration;
        volatile boolean blockInIterate;
        volatile Exception transientFailure;

        ScriptedRunner(TargetState target, TaskListener listener) {
            super(new TaskId("scripted", 0), target, listener);
        }

        @Override
        protected void start() throws Exception {
            calls.add("start");
            if (failStart != null) {
                throw failStart;
            }
        }

        @Override
        protected void iterate() throws Exception {
            iterations.incrementAndGet();
            if (failIteration != null) {
                throw failIteration;
            }
            if (transientFailure != null) {
                retryingAfter(transientFailure);
            } else {
                progressed();
            }
            if (blockInIterate) {
                Thread.sleep(60_000); // a task that ignores stop requests
            }
            Thread.sleep(1);
        }

        @Override
        protected void onPause() {
            calls.add("pause");
        }

        @Override
        protected void shutdown(boolean clean) {
            calls.add(clean ? "shutdown clean" : "shutdown after failure");
        }
    }

    private final TaskLoopFixture.RecordingListener listener = new TaskLoopFixture.RecordingListener();

    private static Thread run(TaskRunner runner) {
        Thread t = new Thread(runner, "task");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void shouldStartOnceIterateReportRunningAndShutDownCleanlyWhenAskedToStop() throws Exception {
        ScriptedRunner runner = new ScriptedRunner(TargetState.STARTED, listener);
        run(runner);
        await().atMost(WAIT).until(() -> runner.iterations.get() > 3);

        runner.requestStop();

        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();
        assertThat(runner.calls).containsExactly("start", "shutdown clean");
        assertThat(listener.states).containsExactly(State.RUNNING);
        assertThat(listener.failures).isEmpty();
    }

    @Test
    void shouldReportAFailedStartWithItsCauseAndShutDownWithoutTheCleanSteps() throws Exception {
        ScriptedRunner runner = new ScriptedRunner(TargetState.STARTED, listener);
        runner.failStart = new IllegalArgumentException("connection.url is not a JDBC URL");
        run(runner);

        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();
        assertThat(listener.failures).singleElement().isSameAs(runner.failStart);
        assertThat(runner.calls).containsExactly("start", "shutdown after failure");
        assertThat(runner.iterations).hasValue(0);
    }

    @Test
    void shouldReportAFailingIterationAndEndTheLoop() throws Exception {
        ScriptedRunner runner = new ScriptedRunner(TargetState.STARTED, listener);
        run(runner);
        await().atMost(WAIT).until(() -> runner.iterations.get() > 0);
        runner.failIteration = new IllegalStateException("disk full");

        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();
        assertThat(listener.failures).singleElement().isSameAs(runner.failIteration);
        assertThat(runner.calls).last().isEqualTo("shutdown after failure");
    }

    @Test
    void shouldStopWithoutReportingAFailureWhenANewerAssignmentFencedTheTask() throws Exception {
        ScriptedRunner runner = new ScriptedRunner(TargetState.STARTED, listener);
        run(runner);
        await().atMost(WAIT).until(() -> runner.iterations.get() > 0);
        runner.failIteration = new IllegalStateException(
                "offset commit refused",
                new FencedWriteException(new TaskEpoch("scripted", 0, 3), "committed under the newer epoch 4"));

        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();
        assertThat(listener.failures)
                .as("another worker runs the task now: no FAILED, no restart")
                .isEmpty();
        assertThat(runner.calls).last().isEqualTo("shutdown after failure");
    }

    @Test
    void shouldParkWhilePausedAndCarryOnWhenResumed() throws Exception {
        ScriptedRunner runner = new ScriptedRunner(TargetState.STARTED, listener);
        run(runner);
        await().atMost(WAIT).until(() -> runner.iterations.get() > 0);

        runner.setTarget(TargetState.PAUSED);
        await().atMost(WAIT).until(() -> listener.states.contains(State.PAUSED));
        int whenPaused = runner.iterations.get();
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> runner.iterations.get() <= whenPaused + 1);
        runner.setTarget(TargetState.STARTED);
        await().atMost(WAIT).until(() -> runner.iterations.get() > whenPaused + 3);
        runner.requestStop();

        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();
        assertThat(listener.states).containsExactly(State.RUNNING, State.PAUSED, State.RUNNING);
        assertThat(runner.calls).containsExactly("start", "pause", "shutdown clean");
    }

    @Test
    void shouldStartPausedWhenThatIsTheTargetAndStopWhilePaused() throws Exception {
        ScriptedRunner runner = new ScriptedRunner(TargetState.PAUSED, listener);
        run(runner);
        await().atMost(WAIT).until(() -> listener.states.contains(State.PAUSED));

        runner.requestStop();

        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();
        assertThat(runner.iterations).hasValue(0);
        assertThat(runner.calls).containsExactly("start", "pause", "shutdown clean");
    }

    @Test
    void shouldInterruptATaskThatDoesNotStopInTime() throws Exception {
        ScriptedRunner runner = new ScriptedRunner(TargetState.STARTED, listener);
        runner.blockInIterate = true;
        run(runner);
        await().atMost(WAIT).until(() -> runner.iterations.get() > 0);

        runner.requestStop();

        runner.awaitStopped(200); // gives up waiting and interrupts the task thread

        // the task sleeps for a minute: only the interrupt ends it within this wait
        assertThat(runner.awaitStopped(WAIT.toMillis()))
                .as("stopped after being interrupted")
                .isTrue();
        assertThat(listener.failures).as("an interrupted stop is not a failure").isEmpty();
        assertThat(runner.calls).last().isEqualTo("shutdown clean");
    }

    @Test
    void shouldReportATransientFailureOnceAndTheRecoveryOnce() throws Exception {
        ScriptedRunner runner = new ScriptedRunner(TargetState.STARTED, listener);
        runner.transientFailure = new java.io.IOException("bucket not reachable");
        run(runner);
        await().atMost(WAIT).until(() -> runner.iterations.get() > 20);
        runner.transientFailure = null;
        int before = runner.iterations.get();
        await().atMost(WAIT).until(() -> runner.iterations.get() > before + 5);
        runner.requestStop();
        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();

        assertThat(listener.retrying).hasSize(2);
        assertThat(listener.retrying.get(0).error()).isEqualTo("java.io.IOException: bucket not reachable");
        assertThat(listener.retrying.get(1)).as("progress again").isNull();
        assertThat(listener.states).containsExactly(State.RUNNING);
    }

    @Test
    void shouldDescribeAFailureOnOneBoundedLineWithItsRootCause() {
        Exception e = new IllegalStateException(
                "append failed\n  while writing", new java.io.IOException("No space left on device"));
        assertThat(TaskRunner.describe(e))
                .isEqualTo("java.lang.IllegalStateException: append failed while writing; caused by "
                        + "java.io.IOException: No space left on device");
        assertThat(TaskRunner.describe(new RuntimeException("x".repeat(5000))))
                .hasSize(1000)
                .endsWith("…");
    }
}
