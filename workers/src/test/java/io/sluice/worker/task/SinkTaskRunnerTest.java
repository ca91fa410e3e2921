package io.sluice.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.Record;
import io.sluice.worker.store.TaskEpoch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink task loop over a real local log and real consumer offsets: records reach {@code put} in
 * order, offsets are committed only as far as the task says is safe after {@code put}, retriable
 * failures redeliver, pause and stop commit, and a restart resumes from the committed offset.
 */
class SinkTaskRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "orders";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final io.sluice.log.TopicPartition LOG_TP = new io.sluice.log.TopicPartition(TOPIC, 0);
    private static final String GROUP = "connect-lake";

    @TempDir
    Path dir;

    private TaskLoopFixture fixture;
    private RecordingOffsets offsets;
    private final List<TaskRunner> running = new ArrayList<>();

    @BeforeEach
    void open() {
        fixture = new TaskLoopFixture(Log.open(LogOptions.defaults(dir)));
        fixture.log.createTopic(TOPIC, Map.of("partitions", "1"));
        offsets = new RecordingOffsets(SinkOffsets.of(fixture.consumerOffsets));
    }

    @AfterEach
    void close() throws Exception {
        for (TaskRunner r : running) {
            r.requestStop();
            r.awaitStopped(WAIT.toMillis());
        }
        fixture.close();
    }

    /**
     * A sink connector's task that keeps what it is given and, like a buffering sink (S3, bulk
     * indexing), says in {@code preCommit} that only what it flushed is safe: everything put, unless
     * the test holds flushing back. Can be told to fail its next puts.
     */
    static final class RecordingSinkTask extends SinkTask {
        final List<SinkRecord> accepted = new CopyOnWriteArrayList<>();
        final List<Long> firstOffsetOfEachPut = new CopyOnWriteArrayList<>();
        final AtomicInteger nonEmptyPuts = new AtomicInteger();
        final AtomicInteger failNextPuts = new AtomicInteger();
        final AtomicBoolean holdFlushing = new AtomicBoolean();
        final AtomicLong flushedUpTo = new AtomicLong(-1);
        final AtomicBoolean stopped = new AtomicBoolean();
        volatile RuntimeException failure;
        volatile AtomicBoolean putWhilePaused;

        @Override
        public String version() {
            return "test";
        }

        @Override
        public void start(Map<String, String> props) {}

        @Override
        public void put(Collection<SinkRecord> records) {
            if (records.isEmpty()) {
                return;
            }
            if (putWhilePaused != null && putWhilePaused.get()) {
                throw new AssertionError("put while paused");
            }
            firstOffsetOfEachPut.add(records.iterator().next().kafkaOffset());
            if (failure != null) {
                throw failure;
            }
            if (failNextPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new RetriableException("index is read-only for a moment");
            }
            nonEmptyPuts.incrementAndGet();
            accepted.addAll(records);
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> current) {
            if (!holdFlushing.get() && !accepted.isEmpty()) {
                flushedUpTo.set(accepted.get(accepted.size() - 1).kafkaOffset());
            }
            Map<TopicPartition, OffsetAndMetadata> safe = new LinkedHashMap<>();
            if (flushedUpTo.get() >= 0) {
                safe.put(TP, new OffsetAndMetadata(flushedUpTo.get() + 1));
            }
            return safe;
        }

        @Override
        public void stop() {
            stopped.set(true);
        }
    }

    /** The real consumer offsets, noting each commit. */
    static final class RecordingOffsets implements SinkOffsets {
        final SinkOffsets inner;
        final List<Long> commits = new CopyOnWriteArrayList<>();

        RecordingOffsets(SinkOffsets inner) {
            this.inner = inner;
        }

        @Override
        public Optional<Long> fetch(String group, io.sluice.log.TopicPartition tp) {
            return inner.fetch(group, tp);
        }

        @Override
        public void commit(String group, Map<io.sluice.log.TopicPartition, Long> offsets) {
            if (offsets.containsKey(LOG_TP)) {
                commits.add(offsets.get(LOG_TP));
            }
            inner.commit(group, offsets);
        }

        @Override
        public void commit(String group, Map<io.sluice.log.TopicPartition, Long> offsets, TaskEpoch writer) {
            commit(group, offsets);
        }

        @Override
        public Map<io.sluice.log.TopicPartition, Long> fetchAll(String group) {
            return inner.fetchAll(group);
        }

        @Override
        public void delete(String group, Set<io.sluice.log.TopicPartition> partitions) {
            inner.delete(group, partitions);
        }
    }

    private void append(long from, int count) {
        List<Record> batch = new ArrayList<>();
        for (long i = from; i < from + count; i++) {
            batch.add(Record.of(utf8("key-" + i), utf8(row(i)), 1_700_000_000_000L + i));
        }
        fixture.log.partition(TOPIC, 0).append(batch);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String row(long i) {
        return "{\"id\":" + i + ",\"note\":\"" + "y".repeat(2_000) + "\"}";
    }

    private static Map<String, String> config(String... settings) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("name", "lake");
        config.put("topics", TOPIC);
        for (int i = 0; i < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        return config;
    }

    private SinkTaskRunner start(RecordingSinkTask task, Map<String, String> config, long commitIntervalMs) {
        SinkTaskRunner runner =
                fixture.sink(new TaskId("lake", 0), task, config, offsets, commitIntervalMs, TargetState.STARTED);
        running.add(runner);
        fixture.start(runner);
        return runner;
    }

    private Optional<Long> committed() {
        return offsets.fetch(GROUP, LOG_TP);
    }

    @Test
    void shouldPutEveryRecordInOffsetOrder() throws Exception {
        append(0, 1_000);
        append(1_000, 1_000);
        RecordingSinkTask task = new RecordingSinkTask();
        start(task, config(), 60_000);

        await().atMost(WAIT).until(() -> task.accepted.size() == 2_000);

        for (int i = 0; i < 2_000; i++) {
            SinkRecord r = task.accepted.get(i);
            assertThat(r.kafkaOffset()).isEqualTo(i);
            assertThat(r.key()).isEqualTo("key-" + i);
            assertThat(r.value()).isEqualTo(row(i));
            assertThat(r.timestamp()).isEqualTo(1_700_000_000_000L + i);
        }
        assertThat(fixture.listener.failures).isEmpty();
    }

    @Test
    void shouldCommitOnlyWhatTheTaskCallsSafeAfterPut() throws Exception {
        append(0, 100);
        RecordingSinkTask task = new RecordingSinkTask();
        start(task, config(), 20);
        await().atMost(WAIT).until(() -> committed().equals(Optional.of(100L)));

        task.holdFlushing.set(true);
        append(100, 50);
        await().atMost(WAIT).until(() -> task.accepted.size() == 150);
        int commitsBefore = offsets.commits.size();
        await().atMost(WAIT).until(() -> offsets.commits.size() > commitsBefore + 2);
        assertThat(committed())
                .as("put but not flushed by the task: not committed")
                .contains(100L);

        task.holdFlushing.set(false);
        await().atMost(WAIT).until(() -> committed().equals(Optional.of(150L)));
        assertThat(offsets.commits).isSorted().allSatisfy(o -> assertThat(o).isLessThanOrEqualTo(150L));
    }

    @Test
    void shouldRedeliverTheSameRecordsAfterARetriableFailureOfPut() throws Exception {
        append(0, 20);
        RecordingSinkTask task = new RecordingSinkTask();
        task.failNextPuts.set(2);
        start(task, config(), 20);

        await().atMost(WAIT).until(() -> task.accepted.size() == 20);

        assertThat(task.firstOffsetOfEachPut).startsWith(0L, 0L, 0L);
        assertThat(task.accepted).extracting(SinkRecord::kafkaOffset).containsExactlyElementsOf(range(0, 20));
        assertThat(fixture.listener.failures).isEmpty();
        assertThat(fixture.listener.retrying)
                .first()
                .satisfies(r -> assertThat(r.error()).contains("read-only"));
        await().atMost(WAIT).until(() -> committed().equals(Optional.of(20L)));
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void shouldSkipARecordThatCannotBeConvertedWhenErrorsToleranceIsAll() throws Exception {
        append(0, 2);
        fixture.log.partition(TOPIC, 0).append(List.of(Record.of(utf8("bad"), utf8("{not json"), 1L)));
        append(3, 2);
        RecordingSinkTask task = new RecordingSinkTask();
        start(
                task,
                config(
                        "errors.tolerance", "all",
                        "value.converter", "org.apache.kafka.connect.json.JsonConverter",
                        "value.converter.schemas.enable", "false"),
                20);

        await().atMost(WAIT).until(() -> committed().equals(Optional.of(5L)));

        assertThat(task.accepted).extracting(SinkRecord::kafkaOffset).containsExactly(0L, 1L, 3L, 4L);
        assertThat(fixture.listener.failures).isEmpty();
    }

    @Test
    void shouldReportAFailedPutWithItsTraceAndNotCommitWhatItDidNotTake() throws Exception {
        append(0, 10);
        RecordingSinkTask task = new RecordingSinkTask();
        task.failure = new ConnectException("mapping of index orders rejects field note");
        SinkTaskRunner runner = start(task, config(), 20);

        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();

        assertThat(fixture.listener.failures)
                .singleElement()
                .satisfies(f -> assertThat(f).hasMessageContaining("mapping of index orders rejects field note"));
        assertThat(committed()).isEmpty();
        assertThat(task.stopped).isTrue();
    }

    @Test
    void shouldCommitWhenPausedAndPutNothingUntilResumed() throws Exception {
        append(0, 30);
        RecordingSinkTask task = new RecordingSinkTask();
        SinkTaskRunner runner = start(task, config(), 60_000);
        await().atMost(WAIT).until(() -> task.accepted.size() == 30);

        runner.setTarget(TargetState.PAUSED);
        await().atMost(WAIT).until(() -> fixture.listener.states.contains(State.PAUSED));
        // the pause is reported from the task thread, which commits right after: wait for it, well
        // before the 60 s interval
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(committed())
                        .as("committed when pausing, before the interval")
                        .contains(30L));
        task.putWhilePaused = new AtomicBoolean(true);
        append(30, 10);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> task.accepted.size() == 30);

        task.putWhilePaused.set(false);
        runner.setTarget(TargetState.STARTED);
        await().atMost(WAIT).until(() -> task.accepted.size() == 40);
        assertThat(fixture.listener.states).containsExactly(State.RUNNING, State.PAUSED, State.RUNNING);
        assertThat(fixture.listener.failures).isEmpty();
    }

    @Test
    void shouldResumeFromTheCommittedOffsetAfterAStop() throws Exception {
        append(0, 50);
        RecordingSinkTask first = new RecordingSinkTask();
        SinkTaskRunner runner = start(first, config(), 60_000);
        await().atMost(WAIT).until(() -> first.accepted.size() == 50);
        runner.requestStop();
        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();
        running.remove(runner);
        assertThat(committed()).as("a clean stop commits what was put").contains(50L);

        append(50, 10);
        RecordingSinkTask second = new RecordingSinkTask();
        start(second, config(), 60_000);

        await().atMost(WAIT).until(() -> second.accepted.size() == 10);
        assertThat(second.accepted).extracting(SinkRecord::kafkaOffset).containsExactlyElementsOf(range(50, 60));
    }

    @Test
    void shouldDeliverRecordsOfSeveralMebibytes() throws Exception {
        String big = "z".repeat(5 << 20);
        fixture.log.partition(TOPIC, 0).append(List.of(Record.of(utf8("a"), utf8(big), 1L)));
        fixture.log.partition(TOPIC, 0).append(List.of(Record.of(utf8("b"), utf8(big + "b"), 2L)));
        append(2, 3);
        RecordingSinkTask task = new RecordingSinkTask();
        start(task, config(), 20);

        await().atMost(WAIT).until(() -> committed().equals(Optional.of(5L)));

        assertThat(task.accepted).hasSize(5);
        assertThat((String) task.accepted.get(0).value()).isEqualTo(big);
        assertThat((String) task.accepted.get(1).value()).hasSize((5 << 20) + 1).endsWith("zb");
        assertThat(task.accepted.get(4).value()).isEqualTo(row(4));
    }
}
