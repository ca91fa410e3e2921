package io.sluice.log.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.log.AppendResult;
import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.OffsetOutOfRangeException;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import io.sluice.log.StoredRecord;
import io.sluice.log.TopicConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replica nodes as child JVMs on 127.0.0.1, partitions replicated three times, nodes killed
 * with SIGKILL. The cluster is started once for the class; the kill test runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final TopicConfig ONE_PARTITION = TopicConfig.DEFAULTS.with(Map.of("partitions", "1"));

    @TempDir
    static Path root;

    static ReplicaCluster cluster;
    static ReplicationClient client;

    @BeforeAll
    static void startCluster() {
        cluster = new ReplicaCluster(root, 3);
        cluster.startAll();
        client = new ReplicationClient(cluster.peers(), ReplicaCluster.testSettings());
    }

    @AfterAll
    static void stopCluster() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldNameThePartitionOrNodeWhenInputIsWrong() {
        assertThatThrownBy(() -> client.fetch("never-created", 0, 0, 1024))
                .isInstanceOf(NotReplicatedException.class)
                .hasMessageContaining("never-created-0 is not replicated");
        assertThatThrownBy(() -> client.append("never-created", 0, List.of(record("x")), 1, 0))
                .isInstanceOf(NotReplicatedException.class)
                .hasMessageContaining("never-created-0");
        assertThatThrownBy(() -> client.ensurePartition("wrong", 0, List.of("1", "9"), ONE_PARTITION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replica 9 of wrong-0 is not a node of the cluster [1, 2, 3]");
        assertThatThrownBy(() -> client.ensurePartition("wrong", 1, List.of("1"), ONE_PARTITION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partition 1 does not exist in a topic of 1 partitions");

        client.ensurePartition("inputs", 0, List.of("1", "2", "3"), ONE_PARTITION);
        client.append("inputs", 0, List.of(record("a"), record("b")), -1, -1);
        client.ensurePartition("inputs", 0, List.of("1", "2", "3"), ONE_PARTITION); // idempotent
        assertThat(client.replicas("inputs", 0)).containsExactly("1", "2", "3");
        assertThatThrownBy(() -> client.ensurePartition("inputs", 0, List.of("1", "2"), ONE_PARTITION))
                .isInstanceOf(PlacementMismatchException.class)
                .hasMessage("inputs-0 is already replicated on [1, 2, 3], not on [1, 2]; move it with reassign");
        assertThatThrownBy(() -> client.fetch("inputs", 0, 5, 1024))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("offset 5 is out of range for inputs-0 (log start 0, end 2)");
    }

    @Test
    @Order(2)
    void shouldRejectStaleEpochsAlsoAfterEveryNodeRestarted() {
        client.ensurePartition("fenced", 0, List.of("2", "3", "1"), ONE_PARTITION);
        client.append("fenced", 0, List.of(record("e1")), 42, 1);
        client.append("fenced", 0, List.of(record("e2")), 42, 2);
        assertThatThrownBy(() -> client.append("fenced", 0, List.of(record("zombie")), 42, 1))
                .isInstanceOf(StaleEpochException.class)
                .hasMessage("producer 42 is fenced on fenced-0: its epoch 1 is older than the current epoch 2");
        client.fence("fenced", 0, 42, 5);
        client.append("fenced", 0, List.of(record("other producer")), 43, 0);
        // enough entries that snapshots are taken and the fencing state is read back from one
        for (int i = 0; i < 80; i++) {
            client.append("fenced", 0, List.of(record("e5-" + i)), 42, 5);
        }
        for (String node : cluster.peers().nodeIds()) {
            cluster.kill(node);
        }
        cluster.startAll();

        assertThatThrownBy(() -> client.append("fenced", 0, List.of(record("zombie")), 42, 2))
                .isInstanceOf(StaleEpochException.class)
                .hasMessageContaining("its epoch 2 is older than the current epoch 5")
                .satisfies(e ->
                        assertThat(((StaleEpochException) e).currentEpoch()).isEqualTo(5));
        assertThatThrownBy(() -> client.fence("fenced", 0, 42, 4)).isInstanceOf(StaleEpochException.class);
        client.append("fenced", 0, List.of(record("e5-last")), 42, 5);

        List<String> values = values(readAll("fenced", 0));
        assertThat(values).doesNotContain("zombie").startsWith("e1", "e2", "other producer", "e5-0");
        assertThat(values).hasSize(84).endsWith("e5-79", "e5-last");
    }

    @Test
    @Order(3)
    void shouldCatchUpARestartedReplicaThatThenCountsForTheMajority() {
        client.ensurePartition("catchup", 0, List.of("1", "2", "3"), ONE_PARTITION);
        cluster.kill("3");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("while-3-down-" + i);
            client.append("catchup", 0, List.of(record(expected.get(i))), -1, -1);
        }
        cluster.start("3");
        awaitCaughtUp("catchup", 0);
        cluster.kill("1"); // now every append needs node 3
        for (int i = 0; i < 10; i++) {
            expected.add("while-1-down-" + i);
            client.append("catchup", 0, List.of(record("while-1-down-" + i)), -1, -1);
        }
        assertThat(values(readAll("catchup", 0))).containsExactlyElementsOf(expected);
        cluster.start("1");
        awaitCaughtUp("catchup", 0);
    }

    @Test
    @Order(7)
    void shouldCopyThePartitionToAReplicaWhoseMissingRaftEntriesWereAllPurged() {
        // every node now purges its Raft log at each snapshot, whatever a replica still needs
        cluster.purgeUpToSnapshot(true);
        for (String node : cluster.peers().nodeIds()) {
            if (cluster.isRunning(node)) {
                cluster.kill(node);
            }
        }
        cluster.startAll();
        client.ensurePartition("purged", 0, List.of("1", "2", "3"), ONE_PARTITION);
        client.fence("purged", 0, 11, 3);
        client.append("purged", 0, List.of(record("before")), 11, 3);
        cluster.kill("2");
        // ~600 KiB in 300 entries: several Raft segments of 128 KiB closed, snapshots every 64 entries
        // purge them, so node 2 cannot be sent the entries it lacks
        List<String> expected = new ArrayList<>(List.of("before"));
        String padding = "p".repeat(2000);
        for (int i = 0; i < 300; i++) {
            expected.add("while-2-down-" + i + padding);
            client.append("purged", 0, List.of(record(expected.get(i + 1))), 11, 4);
        }
        cluster.start("2");
        awaitCaughtUp("purged", 0);
        assertThat(cluster.output("2")).contains("replica of purged-0 copied from the leader");
        // node 2 now carries the majority with node 3: the copied fencing state rejects epoch 3
        cluster.kill("1");
        assertThatThrownBy(() -> client.append("purged", 0, List.of(record("zombie")), 11, 3))
                .isInstanceOf(StaleEpochException.class);
        client.append("purged", 0, List.of(record("after")), 11, 4);
        expected.add("after");
        assertThat(values(readAll("purged", 0))).containsExactlyElementsOf(expected);
        cluster.start("1");
        awaitCaughtUp("purged", 0);
    }

    @Test
    @Order(4)
    void shouldSpreadLeadershipToEachPartitionsFirstReplica() {
        TopicConfig config = TopicConfig.DEFAULTS.with(Map.of("partitions", "3"));
        List<String> nodes = cluster.peers().nodeIds();
        for (int p = 0; p < 3; p++) {
            List<String> placement = new ArrayList<>(nodes);
            Collections.rotate(placement, -p);
            client.ensurePartition("spread", p, placement, config);
        }
        for (int p = 0; p < 3; p++) {
            String preferred = nodes.get(p);
            int partition = p;
            await("leader of spread-" + p)
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> client.leader("spread", partition).orElse(""), preferred::equals);
        }
    }

    @Test
    @Order(5)
    void shouldLoseNoAcknowledgedRecordWhileRandomNodesAreKilled() throws Exception {
        long seed = Long.getLong("replication.seed", System.nanoTime());
        System.out.println("ReplicationClusterIT kill seed " + seed);
        Random random = new Random(seed);
        int partitions = 3;
        TopicConfig config = TopicConfig.DEFAULTS.with(Map.of("partitions", "3", "segment.bytes", "16384"));
        List<String> nodes = cluster.peers().nodeIds();
        for (int p = 0; p < partitions; p++) {
            List<String> placement = new ArrayList<>(nodes);
            Collections.rotate(placement, -p);
            client.ensurePartition("kills", p, placement, config);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong acknowledged = new AtomicLong();
        List<Writer> writers = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            writers.add(new Writer(p, "w" + p, seed + p, stop, acknowledged));
        }
        // a second writer on partition 0: concurrent appends are combined into one Raft entry
        writers.add(new Writer(0, "x0", seed - 1, stop, acknowledged));
        writers.forEach(Thread::start);
        int kills = 0;
        try {
            for (; kills < 20; kills++) {
                String victim = nodes.get(random.nextInt(nodes.size()));
                cluster.kill(victim);
                awaitProgress(acknowledged, 5);
                cluster.start(victim);
                awaitProgress(acknowledged, 5);
            }
        } finally {
            stop.set(true);
            for (Writer w : writers) {
                w.join();
            }
        }
        for (Writer w : writers) {
            assertThat(w.error).as("writer of partition %d", w.partition).isNull();
        }
        // Every acknowledged record is in the committed log, read through the leader, exactly once and
        // in order; then every replica catches up (copying from the leader where its Raft entries were
        // purged) and holds exactly the committed log.
        List<List<String>> committed = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int partition = p;
            List<String> read = await("kills-" + p + " readable through the leader")
                    .atMost(WAIT)
                    .ignoreExceptions()
                    .until(() -> values(readAll("kills", partition)), r -> true);
            committed.add(read);
            for (Writer w : writers) {
                if (w.partition == p) {
                    w.checkAgainst(read, "partition " + p + " seed " + seed + " writer " + w.name);
                }
            }
            awaitCaughtUp("kills", p);
        }
        cluster.stopAll();
        for (int p = 0; p < partitions; p++) {
            for (String node : nodes) {
                assertThat(localRecords(node, "kills", p))
                        .as("partition %d seed %d: node %s holds exactly the committed log", p, seed, node)
                        .isEqualTo(committed.get(p));
            }
        }
        long copies = nodes.stream()
                .mapToLong(n -> cluster.output(n).split("copied from the leader", -1).length - 1)
                .sum();
        System.out.printf(
                "ReplicationClusterIT: %d kills, %d acknowledged appends, %d failed appends, %d partition copies%n",
                kills,
                acknowledged.get(),
                writers.stream().mapToLong(w -> w.failures).sum(),
                copies);
    }

    /** Appends batches of numbered records to one partition, remembering each acknowledged one. */
    private static final class Writer extends Thread {

        final int partition;
        final String name;
        final Random random;
        final AtomicBoolean stop;
        final AtomicLong acknowledged;
        final List<long[]> acks = new ArrayList<>(); // first sequence, count, base offset
        long failures;
        volatile Throwable error;

        Writer(int partition, String name, long seed, AtomicBoolean stop, AtomicLong acknowledged) {
            super("writer-" + name);
            this.partition = partition;
            this.name = name;
            this.random = new Random(seed);
            this.stop = stop;
            this.acknowledged = acknowledged;
        }

        @Override
        public void run() {
            long seq = 0;
            try {
                while (!stop.get()) {
                    int n = 1 + random.nextInt(20);
                    List<Record> batch = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        batch.add(record(name + ":" + (seq + i)));
                    }
                    try {
                        AppendResult r = client.append("kills", partition, batch, 7, 1);
                        assertThat(r.count()).isEqualTo(n);
                        acks.add(new long[] {seq, n, r.baseOffset()});
                        acknowledged.incrementAndGet();
                    } catch (ReplicationException e) {
                        failures++; // not acknowledged: may or may not be stored
                    }
                    seq += n;
                }
            } catch (Throwable t) {
                error = t;
            }
        }

        /** Every acknowledged record once, at its acknowledged offset; this writer's records in its order. */
        void checkAgainst(List<String> stored, String context) {
            long last = -1;
            String prefix = name + ":";
            for (int i = 0; i < stored.size(); i++) {
                if (!stored.get(i).startsWith(prefix)) {
                    continue;
                }
                long seq = Long.parseLong(stored.get(i).substring(prefix.length()));
                assertThat(seq)
                        .as(context + ": order and no duplicate at offset " + i)
                        .isGreaterThan(last);
                last = seq;
            }
            for (long[] ack : acks) {
                for (int i = 0; i < ack[1]; i++) {
                    long offset = ack[2] + i;
                    assertThat(offset)
                            .as(context + ": acknowledged offset stored")
                            .isLessThan(stored.size());
                    assertThat(stored.get((int) offset))
                            .as(context + ": record at acknowledged offset " + offset)
                            .isEqualTo(name + ":" + (ack[0] + i));
                }
            }
            assertThat(acks).as(context + ": acknowledged appends").isNotEmpty();
        }
    }

    private static void awaitProgress(AtomicLong acknowledged, int more) {
        long target = acknowledged.get() + more;
        await("appends acknowledged").atMost(WAIT).until(() -> acknowledged.get() >= target);
    }

    private static void awaitCaughtUp(String topic, int partition) {
        // a replica restarted last may still be replaying or copying on a loaded host
        await(topic + "-" + partition + " replicas caught up")
                .atMost(WAIT.multipliedBy(2))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client.status(topic, partition).maxLag() == 0);
    }

    private static List<StoredRecord> readAll(String topic, int partition) {
        List<StoredRecord> out = new ArrayList<>();
        long offset = 0;
        while (true) {
            FetchResult r = client.fetch(topic, partition, offset, 1 << 20);
            if (r.isEmpty()) {
                return out;
            }
            out.addAll(r.records());
            offset = r.nextOffset();
        }
    }

    /** The records of a stopped node's local partition log, read from its files. */
    private static List<String> localRecords(String node, String topic, int partition) {
        try (Log log = Log.open(LogOptions.defaults(cluster.dataDir(node).resolve("log")))) {
            PartitionLog p = log.partition(topic, partition);
            assertThat(p.isOnline())
                    .as("node " + node + ": " + p.offlineReason())
                    .isTrue();
            List<StoredRecord> records = new ArrayList<>();
            long offset = 0;
            while (offset < p.logEndOffset()) {
                FetchResult r = p.fetch(offset, 1 << 20);
                records.addAll(r.records());
                offset = r.nextOffset();
            }
            for (int i = 0; i < records.size(); i++) {
                assertThat(records.get(i).offset())
                        .as("node " + node + ": dense offsets")
                        .isEqualTo(i);
            }
            return values(records);
        }
    }

    private static List<String> values(List<StoredRecord> records) {
        return records.stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .toList();
    }

    private static Record record(String value) {
        return Record.of(null, value.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis());
    }
}
