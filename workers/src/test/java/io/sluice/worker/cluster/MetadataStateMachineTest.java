package io.sluice.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.worker.cluster.ClusterState.Assignment;
import io.sluice.worker.cluster.ClusterState.Owner;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.store.SourceOffsetStore;
import io.sluice.worker.store.StatusStore;
import io.sluice.worker.store.TaskEpoch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offset commits through the metadata group are applied only under the task's current assignment. */
class MetadataStateMachineTest {

    @TempDir
    Path dir;

    private Log log;
    private CompactedTopicMap configs;
    private CompactedTopicMap sinkOffsets;
    private MetadataStateMachine machine;
    private long index;

    @BeforeEach
    void open() {
        log = Log.open(LogOptions.defaults(dir));
        configs = CompactedTopicMap.open(log, ConfigStore.TOPIC);
        sinkOffsets = CompactedTopicMap.open(log, SharedSinkOffsets.TOPIC);
        machine = new MetadataStateMachine(
                configs,
                CompactedTopicMap.open(log, StatusStore.TOPIC),
                CompactedTopicMap.open(log, SourceOffsetStore.TOPIC),
                sinkOffsets);
        // task 0 of "lake" runs on node 2 under epoch 5
        assertThat(machine.apply(
                        new Command(
                                null,
                                Map.of(
                                        ConfigStore.TOPIC,
                                        Map.of(
                                                ClusterState.ASSIGNMENT + "lake",
                                                ClusterState.encode(
                                                        new Assignment(new Owner(1, 3), List.of(new Owner(2, 5))))))),
                        ++index))
                .isEqualTo("OK");
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void shouldApplyAnOffsetCommitOfTheTaskUnderItsCurrentEpoch() {
        assertThat(commit(new TaskEpoch("lake", 0, 5), "120")).isEqualTo("OK");

        assertThat(offset()).isEqualTo("120");
    }

    @Test
    void shouldRefuseAZombieCommitOnceANewerEpochCommittedAndKeepTheStoredOffset() {
        commit(new TaskEpoch("lake", 0, 5), "120");

        String zombie = commit(new TaskEpoch("lake", 0, 4), "80");

        assertThat(zombie).startsWith(MetadataStateMachine.FENCED).contains("committed under the newer epoch 5");
        assertThat(offset()).isEqualTo("120");
        assertThat(commit(new TaskEpoch("lake", 0, 5), "130")).isEqualTo("OK");
        assertThat(offset()).isEqualTo("130");
    }

    @Test
    void shouldLetTheLastCommitOfAHandOverLandBeforeTheNewOwnerCommits() {
        commit(new TaskEpoch("lake", 0, 4), "100");
        // epoch 5 (node 2) owns the task now, but has not committed: the old owner's final commit lands
        assertThat(commit(new TaskEpoch("lake", 0, 4), "110")).isEqualTo("OK");
        assertThat(offset()).isEqualTo("110");
        // a task no longer assigned (its connector stopped) commits its last offsets too
        assertThat(commit(new TaskEpoch("lake", 7, 1), "5")).isEqualTo("OK");
    }

    @Test
    void shouldFenceEachTaskOnItsOwn() {
        commit(new TaskEpoch("lake", 0, 5), "120");
        assertThat(commit(new TaskEpoch("lake", 1, 2), "7")).isEqualTo("OK");
        assertThat(commit(new TaskEpoch("other", 0, 1), "7")).isEqualTo("OK");
    }

    private String commit(TaskEpoch writer, String offset) {
        return machine.apply(
                new Command(
                        null,
                        writer,
                        Map.of(
                                SharedSinkOffsets.TOPIC,
                                Map.of("[\"connect-lake\",\"orders\",0]", offset.getBytes(StandardCharsets.UTF_8)))),
                ++index);
    }

    private String offset() {
        byte[] v = sinkOffsets.get("[\"connect-lake\",\"orders\",0]");
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    @Test
    void shouldStopApplyingAtAnEntryItCannotApplyInsteadOfSkippingIt() throws Exception {
        var bad = org.apache.ratis.statemachine.TransactionContext.newBuilder()
                .setStateMachine(machine)
                .setLogEntry(entry(++index, "not a command".getBytes(StandardCharsets.UTF_8)))
                .build();
        assertThat(machine.applyTransaction(bad)).isCompletedExceptionally();

        Command next = new Command(null, Map.of(ConfigStore.TOPIC, Map.of("k", "v".getBytes(StandardCharsets.UTF_8))));
        var good = org.apache.ratis.statemachine.TransactionContext.newBuilder()
                .setStateMachine(machine)
                .setLogEntry(entry(++index, next.encode()))
                .build();
        assertThat(machine.applyTransaction(good)).isCompletedExceptionally();
        assertThat(configs.get("k"))
                .as("nothing after the failed entry is applied")
                .isNull();
        assertThat(machine.halted()).hasValueSatisfying(why -> assertThat(why).contains("entry " + (index - 1)));
    }

    private static org.apache.ratis.proto.RaftProtos.LogEntryProto entry(long index, byte[] data) {
        return org.apache.ratis.proto.RaftProtos.LogEntryProto.newBuilder()
                .setTerm(1)
                .setIndex(index)
                .setStateMachineLogEntry(org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto.newBuilder()
                        .setLogData(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(data)))
                .build();
    }
}
