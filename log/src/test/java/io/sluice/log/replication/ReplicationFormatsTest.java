package io.sluice.log.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.log.Golden;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files and Raft entries replication persists: golden bytes, round trips, damage handling. */
class ReplicationFormatsTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepRaftEntryFormatsStable() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("partitions", "3");
        Golden.assertBytes("raft-entry-init.hex", PartitionMessages.buffer(PartitionMessages.init("t", 2, settings)));
        ByteBuffer batch = ByteBuffer.wrap(new byte[] {1, 2, 3});
        Golden.assertBytes("raft-entry-append.hex", PartitionMessages.buffer(PartitionMessages.append(42, 7, batch)));
        Golden.assertBytes("raft-entry-fence.hex", PartitionMessages.buffer(PartitionMessages.fence(42, 8)));
        Golden.assertBytes(
                "raft-entry-append-many.hex",
                PartitionMessages.buffer(PartitionMessages.appendMany(List.of(
                        new PartitionMessages.Item(42, 7, ByteBuffer.wrap(new byte[] {1, 2})),
                        new PartitionMessages.Item(-1, -1, ByteBuffer.wrap(new byte[] {3}))))));

        ByteBuffer init = PartitionMessages.buffer(PartitionMessages.init("t", 2, settings));
        assertThat(init.get()).isEqualTo(PartitionMessages.INIT);
        assertThat(PartitionMessages.readInit(init)).isEqualTo(new PartitionMessages.Init("t", 2, settings));
    }

    @Test
    void shouldWriteAndReadPartitionSnapshotsAndRefuseDamagedOnes() throws IOException {
        Map<Long, Integer> epochs = new TreeMap<>(Map.of(7L, 3, 42L, 9));
        Path file = dir.resolve("snapshot.1_100");
        new PartitionSnapshot(1234, epochs).write(file);
        Golden.assertBytes("replication-snapshot.hex", ByteBuffer.wrap(Files.readAllBytes(file)));
        assertThat(PartitionSnapshot.read(file)).isEqualTo(new PartitionSnapshot(1234, epochs));
        Path written = dir.resolve("snapshot.golden");
        Files.write(written, bytes(Golden.read("replication-snapshot.hex")));
        assertThat(PartitionSnapshot.read(written))
                .as("a snapshot written earlier is read back")
                .isEqualTo(new PartitionSnapshot(1234, epochs));

        byte[] bytes = Files.readAllBytes(file);
        bytes[8] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> PartitionSnapshot.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("fails its CRC check");
    }

    @Test
    void shouldKeepTheApplyJournalLayout() throws IOException {
        Path file = dir.resolve("applied.journal");
        try (ApplyJournal j = ApplyJournal.open(file)) {
            j.append(5, 10);
            j.append(6, 25);
            j.append(9, 4_294_967_296L);
        }
        Golden.assertBytes("apply-journal.hex", ByteBuffer.wrap(Files.readAllBytes(file)));

        Path earlier = dir.resolve("earlier.journal");
        Files.write(earlier, bytes(Golden.read("apply-journal.hex")));
        try (ApplyJournal j = ApplyJournal.open(earlier)) {
            assertThat(j.loaded())
                    .containsExactly(
                            new ApplyJournal.Entry(5, 10),
                            new ApplyJournal.Entry(6, 25),
                            new ApplyJournal.Entry(9, 4_294_967_296L));
        }
    }

    @Test
    void shouldKeepThePartitionBindingFile() throws IOException {
        Map<String, String> settings = new TreeMap<>(Map.of("partitions", "3", "cleanup.policy", "compact"));
        new GroupBinding("orders", 2, settings).write(dir.resolve("bound"));
        // Properties.store writes keys in hash order: the lines are compared sorted
        String sorted = Files.readString(dir.resolve("bound").resolve(GroupBinding.FILE))
                .lines()
                .sorted()
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        Golden.assertText("partition-binding.properties", sorted);

        Files.createDirectories(dir.resolve("earlier"));
        Files.copy(
                Golden.file("partition-binding.properties"),
                dir.resolve("earlier").resolve(GroupBinding.FILE));
        assertThat(GroupBinding.read(dir.resolve("earlier"))).isEqualTo(new GroupBinding("orders", 2, settings));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void shouldDropATornJournalTailAndKeepWhatCameBefore() throws IOException {
        Path file = dir.resolve("applied.journal");
        try (ApplyJournal j = ApplyJournal.open(file)) {
            j.append(5, 10);
            j.append(6, 25);
            j.append(9, 40);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(file) - 7); // a kill in the middle of the last write
        }
        try (ApplyJournal j = ApplyJournal.open(file)) {
            assertThat(j.loaded()).containsExactly(new ApplyJournal.Entry(5, 10), new ApplyJournal.Entry(6, 25));
            j.truncateAfter(5);
            j.append(7, 30);
        }
        try (ApplyJournal j = ApplyJournal.open(file)) {
            assertThat(j.loaded()).containsExactly(new ApplyJournal.Entry(5, 10), new ApplyJournal.Entry(7, 30));
            j.reset();
        }
        try (ApplyJournal j = ApplyJournal.open(file)) {
            assertThat(j.loaded()).isEmpty();
        }
    }

    @Test
    void shouldRememberTheHighestEpochPerProducer() {
        ProducerEpochs epochs = new ProducerEpochs();
        epochs.observe(1, 4);
        epochs.observe(1, 2);
        assertThat(epochs.staleAgainst(1, 3)).isEqualTo(4);
        assertThat(epochs.staleAgainst(1, 4)).isNull();
        assertThat(epochs.staleAgainst(2, 0)).isNull();
        assertThat(epochs.staleAgainst(ProducerEpochs.NO_PRODUCER, -5)).isNull();
    }

    @Test
    void shouldNameTheFaultInPeerListsAndNodeIds() {
        assertThat(ClusterPeers.parse("1@127.0.0.1:9001, 2@127.0.0.1:9002").nodeIds())
                .containsExactly("1", "2");
        assertThatThrownBy(() -> ClusterPeers.parse("1@127.0.0.1:9001,1@127.0.0.1:9002"))
                .hasMessage("node id 1 appears twice in the peer list");
        assertThatThrownBy(() -> ClusterPeers.parse("1@127.0.0.1"))
                .hasMessage("address of node 1 must be host:port, not '127.0.0.1'");
        assertThatThrownBy(() -> ClusterPeers.parse("127.0.0.1:9001"))
                .hasMessage("peer '127.0.0.1:9001' must be id@host:port");
        ClusterPeers peers = ClusterPeers.parse("1@127.0.0.1:9001,2@127.0.0.1:9002");
        assertThatThrownBy(() -> ReplicaNodeConfig.of("4", peers, dir))
                .hasMessage("node id 4 is not in the peer list [1, 2]");
        assertThatThrownBy(() -> peers.group(ClusterPeers.partitionGroupId("t", 0), List.of("1", "1")))
                .hasMessage("replica list [1, 1] names a node twice");
        assertThat(ClusterPeers.partitionGroupId("t", 0))
                .isEqualTo(ClusterPeers.partitionGroupId("t", 0))
                .isNotEqualTo(ClusterPeers.partitionGroupId("t", 1));
        assertThat(peers.group(ClusterPeers.partitionGroupId("t", 0), List.of("2", "1"))
                        .getPeer(org.apache.ratis.protocol.RaftPeerId.valueOf("2"))
                        .getPriority())
                .as("the first replica is the preferred leader")
                .isGreaterThan(peers.group(ClusterPeers.partitionGroupId("t", 0), List.of("2", "1"))
                        .getPeer(org.apache.ratis.protocol.RaftPeerId.valueOf("1"))
                        .getPriority());
    }
}
