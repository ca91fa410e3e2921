package io.sluice.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.core.errors.ErrorCounters;
import io.sluice.core.status.TaskId;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
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
}
