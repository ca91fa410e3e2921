package io.sluice.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.core.errors.ErrorCounters;
import io.sluice.core.status.TaskId;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.TopicPartition;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.SourceOffsetStore;
import io.sluice.worker.store.TaskEpoch;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committer stores offsets every flush interval, and at once when an offset starts a new phase of
 * its source partition: Debezium's snapshot ending, its first streaming offset. Offsets below are
 * shaped as Debezium 3.6's Postgres connector writes them.
 */
class SourceOffsetCommitterTest {

    private static final Map<String, ?> PARTITION = Map.of("server", "shop");
    private static final long HOUR = 3_600_000;

    @TempDir
    Path dir;

    private static Map<String, Object> snapshotRecord(long lsn, boolean last, boolean completed) {
        Map<String, Object> o = new HashMap<>();
        o.put("ts_usec", 1_700_000_000_000_000L);
        o.put("txId", 771L);
        o.put("lsn", lsn);
        o.put("snapshot", "INITIAL");
        o.put("last_snapshot_record", last);
        o.put("snapshot_completed", completed);
        return o;
    }

    private static Map<String, Object> streamingRecord(long lsn, long eventsAtLsn) {
        Map<String, Object> o = new HashMap<>();
        o.put("ts_usec", 1_700_000_000_100_000L);
        o.put("txId", 772L);
        o.put("lsn", lsn);
        o.put("lsn_proc", lsn);
        o.put("lsn_commit", lsn);
        o.put("messageType", "INSERT");
        if (eventsAtLsn > 0) {
            o.put("lsn_events_processed", eventsAtLsn);
        }
        return o;
    }

    @Test
    void shouldSeeTheEndOfASnapshotAndTheFirstStreamingOffsetAsNewPhases() {
        assertThat(OffsetPhase.changed(snapshotRecord(10, false, false), snapshotRecord(10, false, false)))
                .isFalse();
        assertThat(OffsetPhase.changed(snapshotRecord(10, false, false), snapshotRecord(10, true, false)))
                .isTrue();
        assertThat(OffsetPhase.changed(snapshotRecord(10, true, false), snapshotRecord(10, true, true)))
                .isTrue();
        assertThat(OffsetPhase.changed(snapshotRecord(10, true, true), streamingRecord(20, 0)))
                .isTrue();
    }

    @Test
    void shouldNotSeeANewPhaseInPositionsCountersOrOptionalNonFlagKeys() {
        assertThat(OffsetPhase.changed(streamingRecord(20, 0), streamingRecord(30, 0)))
                .isFalse();
        assertThat(OffsetPhase.changed(streamingRecord(30, 0), streamingRecord(30, 2)))
                .isFalse();
        assertThat(OffsetPhase.changed(Map.of("position", 4L), Map.of("position", 9L, "table", "t")))
                .isFalse();
    }

    @Test
    void shouldCommitAtOnceWhenTheSnapshotEndsAndOnlyEachIntervalOtherwise() throws Exception {
        try (Log log = Log.open(LogOptions.defaults(dir));
                TaskMetrics metrics =
                        new TaskMetrics(new SimpleMeterRegistry(), new TaskId("cdc", 0), new ErrorCounters())) {
            SourceOffsetStore store = new SourceOffsetStore(CompactedTopicMap.open(log, SourceOffsetStore.TOPIC));
            SourceOffsetCommitter committer =
                    new SourceOffsetCommitter("cdc", store, HOUR, metrics, new LocalTopicWriter(log));
            TaskEpoch owner = new TaskEpoch("cdc", 0, 0);
            for (int i = 0; i < 1000; i++) {
                committer.record(PARTITION, snapshotRecord(10, false, false));
            }
            assertThat(committer.due()).as("mid-snapshot, within the interval").isFalse();

            committer.record(PARTITION, snapshotRecord(10, true, false));
            assertThat(committer.due()).as("the snapshot's last record").isTrue();
            committer.commitInBackground(owner, () -> {});
            committer.commit(owner);
            assertThat(store.get("cdc", PARTITION)).containsEntry("last_snapshot_record", true);

            committer.record(PARTITION, streamingRecord(20, 0));
            assertThat(committer.due()).as("the first streaming offset").isTrue();
            committer.commit(owner);
            assertThat(store.get("cdc", PARTITION)).doesNotContainKey("snapshot");

            committer.record(PARTITION, streamingRecord(30, 0));
            committer.record(PARTITION, streamingRecord(30, 1));
            assertThat(committer.due()).as("streaming, within the interval").isFalse();
            committer.close();
        }
    }

    /**
     * A metadata group standing in for a cluster's: applies changes to the map like the real one, and
     * refuses the next ones as the test says (no quorum, a fenced task).
     */
    private static final class ScriptedConfigLog implements io.sluice.worker.store.ConfigLog {
        private final CompactedTopicMap map;
        final java.util.Queue<RuntimeException> refusals = new java.util.concurrent.ConcurrentLinkedQueue<>();

        ScriptedConfigLog(CompactedTopicMap map) {
            this.map = map;
        }

        @Override
        public void write(String topic, Map<String, byte[]> changes) {
            RuntimeException refused = refusals.poll();
            if (refused != null) {
                throw refused;
            }
            map.applyCommitted(changes);
        }

        @Override
        public void write(String topic, Map<String, byte[]> changes, TaskEpoch writer) {
            write(topic, changes);
        }

        @Override
        public void writeAsync(String topic, Map<String, byte[]> changes) {
            write(topic, changes);
        }
    }

    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final TaskEpoch OWNER = new TaskEpoch("jdbc", 0, 3);

    @Test
    void shouldFlushTheWrittenPartitionsBeforeStoringTheirOffsetsAndCallTheTaskAfterwards() throws Exception {
        try (Log log = Log.open(LogOptions.defaults(dir));
                TaskMetrics metrics =
                        new TaskMetrics(new SimpleMeterRegistry(), new TaskId("jdbc", 0), new ErrorCounters())) {
            log.createTopic("orders", Map.of("partitions", "1"));
            TaskLoopFixture.ObservedWriter writer = new TaskLoopFixture.ObservedWriter(new LocalTopicWriter(log), log);
            CompactedTopicMap offsetsTopic = CompactedTopicMap.open(log, SourceOffsetStore.TOPIC);
            java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
            offsetsTopic.addListener((k, v) -> order.add("stored after " + writer.events));
            SourceOffsetStore store = new SourceOffsetStore(offsetsTopic);
            SourceOffsetCommitter committer = new SourceOffsetCommitter("jdbc", store, HOUR, metrics, writer);

            writer.append("orders", 0, java.util.List.of(io.sluice.log.Record.of(null, new byte[] {1}, 1L)), 0, 0);
            committer.touched(ORDERS);
            committer.record(PARTITION, Map.of("position", 1L));
            java.util.concurrent.CountDownLatch taskCommitted = new java.util.concurrent.CountDownLatch(1);
            committer.commitInBackground(OWNER, () -> {
                order.add("task commit with " + store.get("jdbc", PARTITION));
                taskCommitted.countDown();
            });

            assertThat(taskCommitted.await(30, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(order).containsExactly("stored after [append 1, flush orders]", "task commit with {position=1}");
            committer.close();
        }
    }

    @Test
    void shouldKeepOffsetsTheClusterCouldNotTakeForTheNextCommitWithoutLettingThemOverwriteNewerOnes()
            throws Exception {
        try (Log log = Log.open(LogOptions.defaults(dir));
                TaskMetrics metrics =
                        new TaskMetrics(new SimpleMeterRegistry(), new TaskId("jdbc", 0), new ErrorCounters())) {
            CompactedTopicMap offsetsTopic = CompactedTopicMap.open(log, SourceOffsetStore.TOPIC);
            ScriptedConfigLog cluster = new ScriptedConfigLog(offsetsTopic);
            offsetsTopic.replicateThrough(cluster);
            SourceOffsetStore store = new SourceOffsetStore(offsetsTopic);
            SourceOffsetCommitter committer =
                    new SourceOffsetCommitter("jdbc", store, HOUR, metrics, new LocalTopicWriter(log));
            Map<String, ?> other = Map.of("table", "customers");

            cluster.refusals.add(new io.sluice.core.service.UnavailableException("The hub has no quorum"));
            committer.record(PARTITION, Map.of("position", 10L));
            committer.record(other, Map.of("position", 4L));
            committer.commit(OWNER);
            assertThat(store.get("jdbc", PARTITION))
                    .as("not stored without a quorum")
                    .isNull();

            committer.record(PARTITION, Map.of("position", 12L));
            committer.commit(OWNER);

            assertThat(store.get("jdbc", PARTITION)).isEqualTo(Map.of("position", 12L));
            assertThat(store.get("jdbc", other))
                    .as("kept from the refused commit")
                    .isEqualTo(Map.of("position", 4L));
            committer.close();
        }
    }

    @Test
    void shouldHandAFailedBackgroundCommitToTheTaskThread() throws Exception {
        try (Log log = Log.open(LogOptions.defaults(dir));
                TaskMetrics metrics =
                        new TaskMetrics(new SimpleMeterRegistry(), new TaskId("jdbc", 0), new ErrorCounters())) {
            CompactedTopicMap offsetsTopic = CompactedTopicMap.open(log, SourceOffsetStore.TOPIC);
            ScriptedConfigLog cluster = new ScriptedConfigLog(offsetsTopic);
            offsetsTopic.replicateThrough(cluster);
            SourceOffsetCommitter committer = new SourceOffsetCommitter(
                    "jdbc", new SourceOffsetStore(offsetsTopic), 0, metrics, new LocalTopicWriter(log));
            io.sluice.worker.store.FencedWriteException fenced =
                    new io.sluice.worker.store.FencedWriteException(OWNER, "committed under the newer epoch 4");
            cluster.refusals.add(fenced);

            committer.record(PARTITION, Map.of("position", 10L));
            committer.commitInBackground(OWNER, () -> {});

            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(org.assertj.core.api.Assertions.catchThrowable(committer::due))
                            .isSameAs(fenced));
            committer.close();
        }
    }
}
