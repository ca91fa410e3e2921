package io.sluice.log.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.log.AppendResult;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import io.sluice.log.StoredRecord;
import io.sluice.log.TopicConfig;
import io.sluice.log.format.RecordBatch;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four replica nodes in this JVM: a partition's replicas move while a writer keeps appending ~2 KB
 * records; every acknowledged record must be on every new replica once and in order, and the replica
 * that left must have dropped its Raft group and its records.
 */
class PartitionReassignmentIT {

    private static final String TOPIC = "moving";
    private static final Duration MOVE_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private final Map<String, ReplicaNode> nodes = new LinkedHashMap<>();
    private ClusterPeers peers;
    private ReplicationSettings settings;

    @AfterEach
    void closeNodes() {
        nodes.values().forEach(ReplicaNode::close);
    }

    @Test
    void shouldMoveAPartitionBetweenNodesWhileAppendsContinueWithoutLosingAnAcknowledgedRecord() throws Exception {
        startNodes(ReplicaCluster.testSettings());
        node("1").ensurePartition(TOPIC, 0, List.of("1", "2", "3"), TopicConfig.DEFAULTS);
        try (Writer writer = new Writer(node("2").client())) {
            writer.awaitAcknowledged(200);

            ReplicationClient.Reassignment first =
                    node("2").client().reassign(TOPIC, 0, List.of("2", "3", "4"), MOVE_TIMEOUT);
            assertThat(first.from()).containsExactlyInAnyOrder("1", "2", "3");
            assertThat(first.dropped()).containsExactly("1");
            writer.awaitAcknowledged(writer.acknowledged().size() + 100);
            assertDropped("1");

            ReplicationClient.Reassignment second =
                    node("3").client().reassign(TOPIC, 0, List.of("1", "4", "2"), MOVE_TIMEOUT);
            assertThat(second.dropped()).containsExactly("3");
            assertThat(node("3")
                            .client()
                            .reassign(TOPIC, 0, List.of("1", "4", "2"), MOVE_TIMEOUT)
                            .dropped())
                    .as("a repeated call finds the move done")
                    .isEmpty();
            writer.awaitAcknowledged(writer.acknowledged().size() + 100);
            writer.stop();
            assertDropped("3");
            assertThat(node("4").client().replicas(TOPIC, 0)).containsExactlyInAnyOrder("1", "4", "2");
            await().atMost(Duration.ofSeconds(90))
                    .alias("leadership follows the first replica of the new placement")
                    .until(() -> node("4").leader(TOPIC, 0).equals(java.util.Optional.of("1")));
            for (String replica : List.of("1", "4", "2")) {
                assertHoldsEveryAcknowledgedRecordOnceInOrder(replica, writer.acknowledged());
            }
        }
    }

    @Test
    void shouldCompleteAMoveWhoseNewReplicaStoppedWhileCopyingAndCameBack() throws Exception {
        startNodes(ReplicaCluster.testSettings().withPurgeUpToSnapshot(true));
        node("1").ensurePartition(TOPIC, 0, List.of("1", "2", "3"), TopicConfig.DEFAULTS);
        try (Writer writer = new Writer(node("1").client())) {
            writer.awaitAcknowledged(3000); // ~6 MB, many snapshots: node 4 must copy the partition
            CompletableFuture<ReplicationClient.Reassignment> move = CompletableFuture.supplyAsync(() -> {
                try {
                    return node("1").client().reassign(TOPIC, 0, List.of("4", "2", "3"), MOVE_TIMEOUT);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> node("4").log().topicConfig(TOPIC).isPresent()
                            && node("4").log().partition(TOPIC, 0).logEndOffset() > 0);
            nodes.remove("4").close(); // stopped part-way (the copy may also have just finished)
            ReplicaNode restarted = ReplicaNode.start(
                    ReplicaNodeConfig.of("4", peers, dir.resolve("4")).withSettings(settings));
            nodes.put("4", restarted);

            ReplicationClient.Reassignment done =
                    move.get(MOVE_TIMEOUT.toSeconds() + 30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(done.to()).containsExactly("4", "2", "3");
            assertThat(done.dropped()).containsExactly("1");
            writer.awaitAcknowledged(writer.acknowledged().size() + 100);
            writer.stop();
            assertDropped("1");
            for (String replica : List.of("4", "2", "3")) {
                assertHoldsEveryAcknowledgedRecordOnceInOrder(replica, writer.acknowledged());
            }
            assertThat(node("2").client().replicas(TOPIC, 0)).containsExactlyInAnyOrder("4", "2", "3");
        }
    }

    private void startNodes(ReplicationSettings s) throws IOException {
        this.settings = s;
        Map<String, String> addresses = new LinkedHashMap<>();
        for (String id : List.of("1", "2", "3", "4")) {
            addresses.put(id, "127.0.0.1:" + freePort());
        }
        peers = new ClusterPeers(addresses);
        for (String id : addresses.keySet()) {
            nodes.put(
                    id,
                    ReplicaNode.start(
                            ReplicaNodeConfig.of(id, peers, dir.resolve(id)).withSettings(s)));
        }
    }

    private ReplicaNode node(String id) {
        return nodes.get(id);
    }

    private void assertDropped(String id) throws IOException {
        ReplicaNode n = node(id);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(n.localReplica(TOPIC, 0))
                    .as("node %s still replicates the partition", id)
                    .isEmpty();
            assertThat(n.log().partition(TOPIC, 0).logEndOffset())
                    .as("records left on node %s", id)
                    .isZero();
        });
        Path groupDir = dir.resolve(id)
                .resolve("raft")
                .resolve(ClusterPeers.partitionGroupId(TOPIC, 0).getUuid().toString());
        assertThat(groupDir).as("Raft storage of the group on node %s", id).doesNotExist();
        try (var files =
                Files.walk(dir.resolve(id).resolve("log").resolve(TOPIC).resolve("0"))) {
            assertThat(files.filter(Files::isRegularFile)
                            .mapToLong(f -> f.toFile().length())
                            .sum())
                    .as("bytes of the partition's files on node %s", id)
                    .isLessThan(64 << 10);
        }
    }

    /** Every acknowledged record once, in acknowledgement order; unacknowledged ones may appear too. */
    private void assertHoldsEveryAcknowledgedRecordOnceInOrder(String id, List<String> acknowledged) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            PartitionLog p = node(id).localReplica(TOPIC, 0).orElseThrow();
            assertThat(p.highWatermark()).isGreaterThanOrEqualTo(acknowledged.size());
        });
        PartitionLog p = node(id).localReplica(TOPIC, 0).orElseThrow();
        List<String> stored = new ArrayList<>();
        long offset = p.logStartOffset();
        while (offset < p.highWatermark()) {
            for (RecordBatch batch : p.fetch(offset, 1 << 20).batchList()) {
                for (StoredRecord r : batch.records()) {
                    stored.add(new String(r.key(), StandardCharsets.UTF_8));
                }
                offset = batch.nextOffset();
            }
        }
        assertThat(stored).as("records on node %s", id).doesNotHaveDuplicates();
        List<String> ackedInStore = stored.stream()
                .filter(new java.util.HashSet<>(acknowledged)::contains)
                .toList();
        assertThat(ackedInStore)
                .as("acknowledged records on node %s, in order", id)
                .isEqualTo(acknowledged);
    }

    /** Appends batches of ten ~2 KB records until stopped, remembering the keys of acknowledged ones. */
    private static final class Writer implements AutoCloseable {
        private final List<String> acknowledged = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Writer(ReplicationClient client) {
            thread = new Thread(
                    () -> {
                        byte[] value = new byte[2000];
                        Arrays.fill(value, (byte) 'x');
                        long n = 0;
                        while (running.get()) {
                            List<Record> records = new ArrayList<>();
                            List<String> keys = new ArrayList<>();
                            for (int i = 0; i < 10; i++) {
                                String key = "r" + n++;
                                keys.add(key);
                                records.add(Record.of(
                                        key.getBytes(StandardCharsets.UTF_8), value, System.currentTimeMillis()));
                            }
                            try {
                                AppendResult r = client.append(TOPIC, 0, records, 7, 1);
                                if (r.lastOffset() - r.baseOffset() + 1 == records.size()) {
                                    acknowledged.addAll(keys);
                                }
                            } catch (RuntimeException e) {
                                // not acknowledged: it may or may not be stored; go on with new records
                            }
                        }
                    },
                    "reassignment-test-writer");
            thread.start();
        }

        List<String> acknowledged() {
            return List.copyOf(acknowledged);
        }

        void awaitAcknowledged(int count) {
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.size() >= count);
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(60_000);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
