package io.sluice.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.TopicConfig;
import io.sluice.log.TopicPartition;
import io.sluice.worker.GoldenFiles;
import io.sluice.worker.cluster.ClusterState.Assignment;
import io.sluice.worker.cluster.ClusterState.Member;
import io.sluice.worker.cluster.ClusterState.Owner;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.ConfigStore;
import io.sluice.worker.store.SourceOffsetStore;
import io.sluice.worker.store.StatusStore;
import io.sluice.worker.store.TaskEpoch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.MD5FileUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins what the metadata group persists: its Raft entries ({@link Command}), what applying them leaves
 * in the shared topics (cluster records, offset-writer epochs, the applied index), its snapshot file,
 * and the messages workers of different versions exchange ({@link Query}, its replies, snapshot parts).
 * Each is encoded from fixed values and compared with a committed golden file, and the golden file is
 * decoded back. Entry types added later get golden files of their own; these stay as they are.
 */
class MetadataFormatsGoldenTest {

    private static final String LAKE = "lake";

    @TempDir
    Path dir;

    private final List<Log> logs = new ArrayList<>();

    @AfterEach
    void close() {
        logs.forEach(Log::close);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Map<String, byte[]>> one(String topic, Map<String, byte[]> changes) {
        Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
        all.put(topic, changes);
        return all;
    }

    private static Assignment lakeAssignment() {
        return new Assignment(new Owner(1, 3), List.of(new Owner(2, 5), new Owner(3, 6)));
    }

    /** A leader's assignment: members, the assignment of a connector and the next generation, at once. */
    private static Command assignmentEntry() {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        changes.put(
                ClusterState.MEMBER + 2,
                ClusterState.encode(new Member(2, "127.0.0.1:8084", "ALIVE", 1_700_000_000_000L)));
        changes.put(
                ClusterState.MEMBER + 3,
                ClusterState.encode(new Member(3, "127.0.0.1:8085", "DEAD", 1_700_000_001_000L)));
        changes.put(ClusterState.ASSIGNMENT + LAKE, ClusterState.encode(lakeAssignment()));
        changes.put(ClusterState.GENERATION, ClusterState.encodeGeneration(1));
        return new Command(0L, one(ConfigStore.TOPIC, changes));
    }

    /** A config change written through any worker: a connector's config and the removal of another's. */
    private static Command configEntry() {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        changes.put("connector/" + LAKE, utf8("{\"connector.class\":\"S3SinkConnector\",\"topics\":\"orders\"}"));
        changes.put("target/" + LAKE, utf8("{\"state\":\"STARTED\"}"));
        changes.put("connector/old", null);
        return new Command(null, one(ConfigStore.TOPIC, changes));
    }

    /** A status report of task 0 under its assignment's epoch. */
    private static Command statusEntry() {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        changes.put(
                "task/" + LAKE + "/0",
                StatusStore.encode(
                        new StatusStore.Entry("RUNNING", "127.0.0.1:8084", null, 1_700_000_002_000L, List.of(), 5L)));
        return new Command(null, one(StatusStore.TOPIC, changes));
    }

    /** A sink task's offset commit, fenced by its epoch. */
    private static Command sinkOffsetEntry() {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        changes.put("[\"connect-lake\",\"orders\",0]", utf8("120"));
        return new Command(null, new TaskEpoch(LAKE, 0, 5), one(SharedSinkOffsets.TOPIC, changes));
    }

    /** A source task's offset commit, fenced by its epoch. */
    private static Command sourceOffsetEntry() {
        Map<String, byte[]> changes = new LinkedHashMap<>();
        changes.put("[\"shop\",{\"server\":\"shop\"}]", utf8("{\"lsn\":123456789012}"));
        return new Command(null, new TaskEpoch("shop", 0, 2), one(SourceOffsetStore.TOPIC, changes));
    }

    private static final Map<String, Command> ENTRIES = Map.of(
            "metadata/entry-assignment.json", assignmentEntry(),
            "metadata/entry-config.json", configEntry(),
            "metadata/entry-status.json", statusEntry(),
            "metadata/entry-sink-offsets.json", sinkOffsetEntry(),
            "metadata/entry-source-offsets.json", sourceOffsetEntry());

    @Test
    void shouldKeepTheMetadataEntryFormat() {
        ENTRIES.forEach((name, entry) -> {
            GoldenFiles.assertText(name, entry.encode());
            Command decoded = Command.decode(GoldenFiles.text(name));
            assertThat(decoded.expectedGeneration()).isEqualTo(entry.expectedGeneration());
            assertThat(decoded.writer()).isEqualTo(entry.writer());
            assertThat(decoded.changes().keySet())
                    .containsExactlyElementsOf(entry.changes().keySet());
            decoded.changes().forEach((topic, changes) -> {
                assertThat(changes.keySet())
                        .containsExactlyElementsOf(entry.changes().get(topic).keySet());
                changes.forEach((k, v) ->
                        assertThat(v).as(k).isEqualTo(entry.changes().get(topic).get(k)));
            });
        });
    }

    @Test
    void shouldKeepWhatApplyingEntriesLeavesInTheSharedTopics() {
        Topics topics = topics("apply");
        long index = 0;
        for (Command entry :
                List.of(assignmentEntry(), configEntry(), statusEntry(), sinkOffsetEntry(), sourceOffsetEntry())) {
            assertThat(topics.machine.apply(Command.decode(entry.encode()), ++index))
                    .isEqualTo("OK");
        }
        // an outdated assignment (generation 0 is gone) and a zombie's commit change nothing
        assertThat(topics.machine.apply(assignmentEntry(), ++index)).isEqualTo("STALE");
        assertThat(topics.machine.apply(
                        new Command(
                                null,
                                new TaskEpoch(LAKE, 0, 4),
                                sinkOffsetEntry().changes()),
                        ++index))
                .startsWith(MetadataStateMachine.FENCED);

        GoldenFiles.assertEntries("metadata/applied-configs.json", topics.configs.snapshot());
        GoldenFiles.assertEntries("metadata/applied-status.json", topics.status.snapshot());
        GoldenFiles.assertEntries("metadata/applied-source-offsets.json", topics.offsets.snapshot());
        GoldenFiles.assertEntries("metadata/applied-sink-offsets.json", topics.sinkOffsets.snapshot());

        Topics read = topics("read");
        read.configs.applyCommitted(GoldenFiles.entries("metadata/applied-configs.json"));
        read.sinkOffsets.applyCommitted(GoldenFiles.entries("metadata/applied-sink-offsets.json"));
        ClusterState state = new ClusterState(read.configs);
        assertThat(state.generation()).isEqualTo(1);
        assertThat(state.members())
                .containsEntry(2, new Member(2, "127.0.0.1:8084", "ALIVE", 1_700_000_000_000L))
                .containsEntry(3, new Member(3, "127.0.0.1:8085", "DEAD", 1_700_000_001_000L));
        assertThat(state.assignment(LAKE)).contains(lakeAssignment());
        assertThat(MetadataStateMachine.applied(read.configs)).isEqualTo(5);
        assertThat(new SharedSinkOffsets(read.sinkOffsets).fetch("connect-lake", new TopicPartition("orders", 0)))
                .contains(120L);
        assertThat(read.machine.apply(
                        new Command(
                                null,
                                new TaskEpoch(LAKE, 0, 4),
                                sinkOffsetEntry().changes()),
                        99))
                .as("the stored offset-writer epoch still fences a zombie")
                .startsWith(MetadataStateMachine.FENCED);
    }

    @Test
    void shouldKeepTheSinkOffsetAndTopicRegistryRecords() {
        Topics topics = topics("records");
        SharedSinkOffsets offsets = new SharedSinkOffsets(topics.sinkOffsets);
        Map<TopicPartition, Long> committed = new LinkedHashMap<>();
        committed.put(new TopicPartition("orders", 0), 120L);
        committed.put(new TopicPartition("orders", 1), 7L);
        offsets.commit("connect-lake", committed);
        offsets.commit("connect-other", Map.of(new TopicPartition("orders", 0), 3L));
        TopicRegistry registry = new TopicRegistry(topics.configs);
        registry.register(
                "orders",
                TopicConfig.DEFAULTS.with(Map.of(TopicConfig.PARTITIONS, "3", TopicConfig.RETENTION_MS, "86400000")));

        GoldenFiles.assertEntries("metadata/sink-offsets-records.json", topics.sinkOffsets.snapshot());
        GoldenFiles.assertEntries("metadata/topic-registry-records.json", topics.configs.snapshot());

        Topics read = topics("records-read");
        read.sinkOffsets.applyCommitted(GoldenFiles.entries("metadata/sink-offsets-records.json"));
        read.configs.applyCommitted(GoldenFiles.entries("metadata/topic-registry-records.json"));
        assertThat(new SharedSinkOffsets(read.sinkOffsets).fetchAll("connect-lake"))
                .isEqualTo(committed);
        assertThat(new TopicRegistry(read.configs).partitions("orders")).contains(3);
        assertThat(new TopicRegistry(read.configs).topics().get("orders"))
                .containsEntry(TopicConfig.RETENTION_MS, "86400000");
    }

    @Test
    void shouldKeepTheMetadataSnapshotFormat() throws Exception {
        Topics topics = topics("snapshot");
        RaftStorage storage = raftStorage("snapshot-raft");
        topics.machine.initialize(server(), RaftGroupId.randomId(), storage);
        long index = 0;
        for (Command entry :
                List.of(assignmentEntry(), configEntry(), statusEntry(), sinkOffsetEntry(), sourceOffsetEntry())) {
            TransactionContext trx = TransactionContext.newBuilder()
                    .setStateMachine(topics.machine)
                    .setLogEntry(entry(++index, entry.encode()))
                    .build();
            assertThat(topics.machine.applyTransaction(trx).get().getContent().toStringUtf8())
                    .isEqualTo("OK");
        }
        assertThat(topics.machine.takeSnapshot()).isEqualTo(index);
        Path file = topics.machine
                .getStateMachineStorage()
                .getLatestSnapshot()
                .getFile()
                .getPath();
        assertThat(file.getFileName()).hasToString("snapshot.1_" + index);
        // the topics are dumped from hash maps: their order is not part of the format
        GoldenFiles.assertSameJson("metadata/snapshot.json", Files.readAllBytes(file));

        Topics restored = topics("restored");
        RaftStorage restoredStorage = raftStorage("restored-raft");
        Path copy =
                restoredStorage.getStorageDir().getStateMachineDir().toPath().resolve("snapshot.1_" + index);
        Files.createDirectories(copy.getParent());
        Files.write(copy, GoldenFiles.text("metadata/snapshot.json"));
        MD5FileUtil.computeAndSaveMd5ForFile(copy.toFile());
        restored.machine.initialize(server(), RaftGroupId.randomId(), restoredStorage);
        assertThat(restored.machine.getLastAppliedTermIndex()).isEqualTo(TermIndex.valueOf(1, index));
        for (String topic :
                List.of(ConfigStore.TOPIC, StatusStore.TOPIC, SourceOffsetStore.TOPIC, SharedSinkOffsets.TOPIC)) {
            assertThat(text(restored.topic(topic).snapshot()))
                    .as(topic)
                    .isEqualTo(text(topics.topic(topic).snapshot()));
        }
    }

    @Test
    void shouldKeepTheWorkerToLeaderMessages() {
        GoldenFiles.assertText(
                "metadata/query-heartbeat.json",
                new Query("heartbeat", 2, "127.0.0.1:8084", "1@127.0.0.1:9001,2@127.0.0.1:9002", null).encode());
        GoldenFiles.assertText("metadata/query-liveness.json", new Query("liveness", 2, null, null, null).encode());
        GoldenFiles.assertText(
                "metadata/query-snapshot.json", Query.snapshot(1_048_576).encode());
        Map<Integer, Long> ages = new TreeMap<>(Map.of(1, 0L, 2, 250L, 3, 9_000L));
        GoldenFiles.assertText("metadata/reply-heartbeat.json", Query.encode(new Query.Reply(null, 1, null, 42L)));
        GoldenFiles.assertText("metadata/reply-liveness.json", Query.encode(new Query.Reply(null, 1, ages)));
        GoldenFiles.assertText(
                "metadata/reply-refused.json",
                Query.encode(new Query.Reply("peers differ: 1@127.0.0.1:9001 is not 1@127.0.0.1:9011", 1, null)));

        assertThat(Query.decode(GoldenFiles.text("metadata/query-heartbeat.json")))
                .isEqualTo(new Query("heartbeat", 2, "127.0.0.1:8084", "1@127.0.0.1:9001,2@127.0.0.1:9002", null));
        assertThat(Query.decode(GoldenFiles.text("metadata/query-snapshot.json")))
                .isEqualTo(Query.snapshot(1_048_576));
        assertThat(Query.decodeReply(GoldenFiles.text("metadata/reply-heartbeat.json")))
                .isEqualTo(new Query.Reply(null, 1, null, 42L));
        assertThat(Query.decodeReply(GoldenFiles.text("metadata/reply-liveness.json")))
                .isEqualTo(new Query.Reply(null, 1, ages));
    }

    @Test
    void shouldKeepTheSnapshotPartLayout() throws Exception {
        Path file = dir.resolve("snapshot.4_42");
        Files.write(file, utf8("{\"__sluice_configs\":{}}"));
        SingleFileSnapshotInfo snapshot =
                new SingleFileSnapshotInfo(new FileInfo(file, null), TermIndex.valueOf(4, 42));

        GoldenFiles.assertHex("metadata/snapshot-part-from-0.hex", bytes(MetadataSnapshotCopy.part(snapshot, 0)));
        GoldenFiles.assertHex("metadata/snapshot-part-from-5.hex", bytes(MetadataSnapshotCopy.part(snapshot, 5)));

        ByteBuffer part = ByteBuffer.wrap(GoldenFiles.hex("metadata/snapshot-part-from-5.hex"));
        assertThat(part.getLong()).as("term").isEqualTo(4);
        assertThat(part.getLong()).as("index").isEqualTo(42);
        assertThat(part.getLong()).as("file size").isEqualTo(23);
        byte[] rest = new byte[part.remaining()];
        part.get(rest);
        assertThat(new String(rest, StandardCharsets.UTF_8)).isEqualTo("luice_configs\":{}}");
    }

    private static byte[] bytes(org.apache.ratis.protocol.Message m) {
        return m.getContent().toByteArray();
    }

    private static Map<String, String> text(Map<String, byte[]> entries) {
        Map<String, String> out = new TreeMap<>();
        entries.forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    private static LogEntryProto entry(long index, byte[] data) {
        return LogEntryProto.newBuilder()
                .setTerm(1)
                .setIndex(index)
                .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder().setLogData(ByteString.copyFrom(data)))
                .build();
    }

    /** A server that only has an id: all the state machine asks of it outside a running group. */
    private static org.apache.ratis.server.RaftServer server() {
        return (org.apache.ratis.server.RaftServer) java.lang.reflect.Proxy.newProxyInstance(
                MetadataFormatsGoldenTest.class.getClassLoader(),
                new Class<?>[] {org.apache.ratis.server.RaftServer.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> org.apache.ratis.protocol.RaftPeerId.valueOf("1");
                    case "toString" -> "server 1";
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private RaftStorage raftStorage(String name) throws Exception {
        RaftStorage storage = RaftStorage.newBuilder()
                .setDirectory(dir.resolve(name).toFile())
                .setOption(RaftStorage.StartupOption.FORMAT)
                .setStorageFreeSpaceMin(org.apache.ratis.util.SizeInBytes.ONE_KB)
                .build();
        storage.initialize();
        return storage;
    }

    private record Topics(
            MetadataStateMachine machine,
            CompactedTopicMap configs,
            CompactedTopicMap status,
            CompactedTopicMap offsets,
            CompactedTopicMap sinkOffsets) {
        CompactedTopicMap topic(String name) {
            return switch (name) {
                case ConfigStore.TOPIC -> configs;
                case StatusStore.TOPIC -> status;
                case SourceOffsetStore.TOPIC -> offsets;
                default -> sinkOffsets;
            };
        }
    }

    private Topics topics(String name) {
        Log log = Log.open(LogOptions.defaults(dir.resolve(name)));
        logs.add(log);
        CompactedTopicMap configs = CompactedTopicMap.open(log, ConfigStore.TOPIC);
        CompactedTopicMap status = CompactedTopicMap.open(log, StatusStore.TOPIC);
        CompactedTopicMap offsets = CompactedTopicMap.open(log, SourceOffsetStore.TOPIC);
        CompactedTopicMap sinkOffsets = CompactedTopicMap.open(log, SharedSinkOffsets.TOPIC);
        return new Topics(
                new MetadataStateMachine(configs, status, offsets, sinkOffsets), configs, status, offsets, sinkOffsets);
    }
}
