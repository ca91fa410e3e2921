package io.sluice.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.core.status.TaskId;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.StoredRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source task loop over a real local log: what a source connector's user relies on (order,
 * offsets never ahead of stored records, error tolerance, retries, pause, stop, large records).
 */
class SourceTaskRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "orders";
    private static final Map<String, String> PARTITION = Map.of("table", "orders");

    @TempDir
    Path dir;

    private TaskLoopFixture fixture;
    private final List<TaskRunner> running = new ArrayList<>();

    @BeforeEach
    void open() {
        fixture = new TaskLoopFixture(Log.open(LogOptions.defaults(dir)));
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
     * A source connector's task fed by the test: each {@code poll} takes the next batch (or waits up to
     * 100 ms and returns null, as the SPI asks), or throws what the test queued. Counts what the loop
     * called. Its source offset is {@code {"position": n}} after the n-th record.
     */
    static final class ScriptedSourceTask extends SourceTask {
        final BlockingQueue<Object> script = new LinkedBlockingQueue<>();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicInteger commits = new AtomicInteger();
        final List<SourceRecord> committedRecords = new CopyOnWriteArrayList<>();
        final List<SourceRecord> droppedRecords = new CopyOnWriteArrayList<>();
        final AtomicBoolean stopped = new AtomicBoolean();
        final CountDownLatch stopCalled = new CountDownLatch(1);
        volatile Map<String, Object> offsetAtStart;
        volatile boolean blockUntilStopped;
        volatile AtomicBoolean pollWhilePaused;

        @Override
        public String version() {
            return "test";
        }

        @Override
        public void start(Map<String, String> props) {
            offsetAtStart = context.offsetStorageReader().offset(PARTITION);
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<SourceRecord> poll() throws InterruptedException {
            polls.incrementAndGet();
            if (pollWhilePaused != null && pollWhilePaused.get()) {
                throw new AssertionError("polled while paused");
            }
            if (blockUntilStopped) {
                stopCalled.await(); // a poll waiting for data that only stop() ends
                return null;
            }
            Object next = script.poll(100, TimeUnit.MILLISECONDS);
            if (next instanceof RuntimeException e) {
                throw e;
            }
            return (List<SourceRecord>) next;
        }

        @Override
        public void commit() {
            commits.incrementAndGet();
        }

        @Override
        public void commitRecord(SourceRecord record, org.apache.kafka.clients.producer.RecordMetadata metadata) {
            (metadata == null ? droppedRecords : committedRecords).add(record);
        }

        @Override
        public void stop() {
            stopped.set(true);
            stopCalled.countDown();
        }
    }

    private static SourceRecord record(long position, Object value) {
        return new SourceRecord(
                PARTITION,
                Map.of("position", position),
                TOPIC,
                null,
                Schema.STRING_SCHEMA,
                "key-" + position,
                null,
                value,
                1_700_000_000_000L + position);
    }

    /** A row-sized value (about 2 KB) that names its position. */
    private static String row(long position) {
        return "row-" + position + ":" + "x".repeat(2_000);
    }

    private static List<SourceRecord> rows(long from, int count) {
        List<SourceRecord> out = new ArrayList<>();
        for (long p = from; p < from + count; p++) {
            out.add(record(p, row(p)));
        }
        return out;
    }

    private static Map<String, String> config(String... settings) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("name", "shop");
        for (int i = 0; i < settings.length; i += 2) {
            config.put(settings[i], settings[i + 1]);
        }
        return config;
    }

    private SourceTaskRunner start(ScriptedSourceTask task, Map<String, String> config, long commitIntervalMs) {
        SourceTaskRunner runner =
                fixture.source(new TaskId("shop", 0), task, config, commitIntervalMs, TargetState.STARTED);
        running.add(runner);
        fixture.start(runner);
        return runner;
    }

    private List<String> values() {
        return fixture.records(TOPIC).stream()
                .map(r -> TaskLoopFixture.text(r.value()))
                .toList();
    }

    private Object storedPosition() {
        Map<String, Object> offset = fixture.sourceOffsets.get("shop", PARTITION);
        return offset == null ? null : offset.get("position");
    }

    @Test
    void shouldAppendPolledRecordsToTheTopicInPollOrder() throws Exception {
        ScriptedSourceTask task = new ScriptedSourceTask();
        for (int poll = 0; poll < 20; poll++) {
            task.script.add(rows(poll * 100L, 100));
        }
        start(task, config(), 60_000);

        await().atMost(WAIT)
                .until(() -> fixture.log.topicConfig(TOPIC).isPresent()
                        && fixture.log.partition(TOPIC, 0).highWatermark() == 2_000);

        List<StoredRecord> stored = fixture.records(TOPIC);
        for (int i = 0; i < 2_000; i++) {
            assertThat(TaskLoopFixture.text(stored.get(i).value())).isEqualTo(row(i));
            assertThat(TaskLoopFixture.text(stored.get(i).key())).isEqualTo("key-" + i);
            assertThat(stored.get(i).timestamp()).isEqualTo(1_700_000_000_000L + i);
        }
        await().atMost(WAIT).until(() -> task.committedRecords.size() == 2_000);
        assertThat(fixture.listener.failures).isEmpty();
    }

    @Test
    void shouldStoreAnOffsetOnlyOnceItsRecordsAreAppendedAndFlushed() throws Exception {
        List<String> violations = new CopyOnWriteArrayList<>();
        List<Long> storedPositions = new CopyOnWriteArrayList<>();
        fixture.offsetsTopic.addListener((key, value) -> {
            if (value == null || key.startsWith("__")) {
                return;
            }
            long position =
                    ((Number) fixture.sourceOffsets.get("shop", PARTITION).get("position")).longValue();
            storedPositions.add(position);
            long stored = fixture.log.partition(TOPIC, 0).highWatermark();
            if (position >= stored) {
                violations.add("offset " + position + " stored while the topic held " + stored + " records");
            }
            long flushed = fixture.writer.flushedEnd.getOrDefault(TOPIC, 0L);
            if (position >= flushed) {
                violations.add("offset " + position + " stored while flushes covered " + flushed + " records");
            }
        });
        ScriptedSourceTask task = new ScriptedSourceTask();
        start(task, config(), 20);
        for (int poll = 0; poll < 30; poll++) {
            task.script.add(rows(poll * 50L, 50));
        }

        await().atMost(WAIT).until(() -> Long.valueOf(1_499).equals(storedPosition()));

        assertThat(violations).isEmpty();
        assertThat(storedPositions).isSorted().hasSizeGreaterThan(1);
        assertThat(task.commits)
                .as("the task's commit() follows stored offsets")
                .hasPositiveValue();
    }

    @Test
    void shouldPollAgainAfterARetriableExceptionAndStayRunning() throws Exception {
        ScriptedSourceTask task = new ScriptedSourceTask();
        task.script.add(new RetriableException("replication slot busy"));
        task.script.add(new RetriableException("replication slot busy"));
        task.script.add(rows(0, 10));
        start(task, config(), 60_000);

        await().atMost(WAIT).until(() -> values().size() == 10);

        assertThat(fixture.listener.failures).isEmpty();
        assertThat(fixture.listener.states).containsOnly(State.RUNNING);
        assertThat(fixture.listener.retrying)
                .first()
                .satisfies(r -> assertThat(r.error()).contains("replication slot busy"));
        assertThat(fixture.listener.retrying).last().as("progress again").isNull();
    }

    @Test
    void shouldRetryAnAppendTheLogCannotTakeYetWithoutLosingOrRepeatingARecord() throws Exception {
        fixture.writer.failNextAppends.set(3);
        ScriptedSourceTask task = new ScriptedSourceTask();
        task.script.add(rows(0, 10));
        task.script.add(rows(10, 10));
        start(task, config(), 60_000);

        await().atMost(WAIT).until(() -> values().size() >= 20);

        assertThat(values())
                .containsExactlyElementsOf(
                        rows(0, 20).stream().map(r -> (String) r.value()).toList());
        assertThat(fixture.writer.events)
                .filteredOn(e -> e.equals("append refused"))
                .hasSize(3);
        assertThat(fixture.listener.failures).isEmpty();
        assertThat(fixture.listener.retrying)
                .first()
                .satisfies(r -> assertThat(r.error()).contains("no leader"));
    }

    /** A value whose conversion fails, as a record a converter cannot serialise. */
    private static final Object UNCONVERTIBLE = new Object() {
        @Override
        public String toString() {
            throw new DataException("value cannot be serialised");
        }
    };

    @Test
    void shouldSkipARecordThatCannotBeConvertedWhenErrorsToleranceIsAll() throws Exception {
        ScriptedSourceTask task = new ScriptedSourceTask();
        task.script.add(List.of(record(0, row(0)), record(1, UNCONVERTIBLE), record(2, row(2))));
        start(task, config("errors.tolerance", "all"), 20);

        await().atMost(WAIT).until(() -> Long.valueOf(2).equals(storedPosition()));

        assertThat(values()).containsExactly(row(0), row(2));
        assertThat(task.droppedRecords.stream()
                        .map(r -> (Object) r.sourceOffset().get("position"))
                        .toList())
                .containsExactly((Object) 1L);
        assertThat(fixture.listener.failures).isEmpty();
    }

    @Test
    void shouldFailTheTaskWhenARecordCannotBeConvertedAndNothingIsTolerated() throws Exception {
        ScriptedSourceTask task = new ScriptedSourceTask();
        task.script.add(rows(0, 3));
        task.script.add(List.of(record(3, row(3)), record(4, UNCONVERTIBLE)));
        SourceTaskRunner runner = start(task, config(), 10);

        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();

        assertThat(fixture.listener.failures)
                .singleElement()
                .satisfies(f -> assertThat(f)
                        .hasRootCauseInstanceOf(DataException.class)
                        .hasRootCauseMessage("value cannot be serialised"));
        assertThat(values()).as("nothing of the failed poll is appended").containsExactly(row(0), row(1), row(2));
        assertThat(storedPosition()).as("no offset past the stored records").isIn(null, 2L);
        assertThat(task.stopped).isTrue();
    }

    @Test
    void shouldReportAFailedPollWithItsTraceAndStopTheConnectorsTask() throws Exception {
        ScriptedSourceTask task = new ScriptedSourceTask();
        task.script.add(rows(0, 5));
        ConnectException failure = new ConnectException("database shop is gone");
        task.script.add(failure);
        SourceTaskRunner runner = start(task, config(), 60_000);

        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();

        assertThat(fixture.listener.failures).containsExactly(failure);
        assertThat(failure.getStackTrace())
                .as("the status shows where it failed")
                .isNotEmpty();
        assertThat(task.stopped).isTrue();
        assertThat(values()).hasSize(5);
    }

    @Test
    void shouldNotPollWhilePausedAndStoreTheOffsetsOfWhatItAppendedWhenPausing() throws Exception {
        ScriptedSourceTask task = new ScriptedSourceTask();
        task.script.add(rows(0, 40));
        SourceTaskRunner runner = start(task, config(), 60_000);
        await().atMost(WAIT).until(() -> values().size() == 40);

        runner.setTarget(TargetState.PAUSED);
        await().atMost(WAIT).until(() -> fixture.listener.states.contains(State.PAUSED));
        // the commit interval is a minute: only pausing stores the offsets now
        await().atMost(WAIT).until(() -> Long.valueOf(39).equals(storedPosition()));
        task.pollWhilePaused = new AtomicBoolean(true);
        task.script.add(rows(40, 10));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> values().size() == 40);

        task.pollWhilePaused.set(false);
        runner.setTarget(TargetState.STARTED);

        await().atMost(WAIT).until(() -> values().size() == 50);
        assertThat(fixture.listener.states).containsExactly(State.RUNNING, State.PAUSED, State.RUNNING);
        assertThat(fixture.listener.failures).isEmpty();
    }

    @Test
    void shouldUnblockAPollWaitingForDataWhenStopped() throws Exception {
        ScriptedSourceTask task = new ScriptedSourceTask();
        task.blockUntilStopped = true;
        SourceTaskRunner runner = start(task, config(), 60_000);
        await().atMost(WAIT).until(() -> task.polls.get() > 0);

        runner.requestStop();

        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();
        assertThat(task.stopped)
                .as("stop() came from another thread and ended the poll")
                .isTrue();
        assertThat(fixture.listener.failures).isEmpty();
    }

    @Test
    void shouldCarryRecordsOfSeveralMebibytes() throws Exception {
        ScriptedSourceTask task = new ScriptedSourceTask();
        task.script.add(List.of(record(0, big('a', 5 << 20))));
        task.script.add(List.of(record(1, big('b', 3 << 20)), record(2, big('c', 3 << 20))));
        task.script.add(List.of(record(3, "small")));
        start(task, config(), 20);

        await().atMost(WAIT).until(() -> Long.valueOf(3).equals(storedPosition()));

        List<String> values = values();
        assertThat(values).hasSize(4);
        assertThat(values.get(0)).isEqualTo(big('a', 5 << 20));
        assertThat(values.get(1)).isEqualTo(big('b', 3 << 20));
        assertThat(values.get(2)).isEqualTo(big('c', 3 << 20));
        assertThat(values.get(3)).isEqualTo("small");
    }

    /** {@code bytes} characters of {@code c}, with a digit every KiB so a shifted copy would not compare equal. */
    private static String big(char c, int bytes) {
        String kib = "%s" + String.valueOf(c).repeat(1023);
        StringBuilder s = new StringBuilder(bytes);
        for (int i = 0; i < bytes / 1024; i++) {
            s.append(String.format(kib, (char) ('0' + i % 10)));
        }
        return s.toString();
    }

    @Test
    void shouldResumeFromTheOffsetStoredAtACleanStop() throws Exception {
        ScriptedSourceTask first = new ScriptedSourceTask();
        first.script.add(rows(0, 100));
        SourceTaskRunner runner = start(first, config(), 60_000);
        await().atMost(WAIT).until(() -> values().size() == 100);
        runner.requestStop();
        assertThat(runner.awaitStopped(WAIT.toMillis())).isTrue();
        running.remove(runner);

        ScriptedSourceTask second = new ScriptedSourceTask();
        start(second, config(), 60_000);

        await().atMost(WAIT).until(() -> second.offsetAtStart != null);
        assertThat(second.offsetAtStart).isEqualTo(Map.of("position", 99L));
        assertThat(new String(fixture.records(TOPIC).get(99).value(), StandardCharsets.UTF_8))
                .isEqualTo(row(99));
    }
}
