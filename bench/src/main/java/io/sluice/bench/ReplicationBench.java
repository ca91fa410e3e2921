package io.sluice.bench;

import io.sluice.log.Compression;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import io.sluice.log.TopicConfig;
import io.sluice.log.format.RecordBatch;
import io.sluice.log.replication.ClusterPeers;
import io.sluice.log.replication.ReplicaNode;
import io.sluice.log.replication.ReplicaNodeConfig;
import io.sluice.log.replication.ReplicationClient;
import io.sluice.log.replication.ReplicationSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Replicated append throughput: three replica nodes in this one JVM on 127.0.0.1 (separate data
 * directories, one disk), partitions with RF=3 and with RF=1 (one-replica Raft groups), and the plain
 * local log for reference. Producer threads append pre-encoded batches of 1 KiB records for a fixed
 * time, all to one partition or each to its own; an append returns once a majority fsynced it. Prints records/s, MB/s
 * and append latency percentiles. Usage: {@code ReplicationBench <dataDir> [--quick]}.
 *
 * <p>{@code ReplicationBench <dataDir> --large-polls [--quick]}: one producer appending polls of
 * 4-8 MiB (3.7 KB rows, as Debezium's default {@code max.batch.size} 2048 returns from a backlog of
 * wide rows) as lists of records, which the client splits into entries; once with 1 MiB entries (the
 * size before large records were supported: such polls were refused, smaller ones had to be sent) and
 * once with the default 8 MiB entries; RF=3 and RF=1, fsync before acknowledging.
 */
public final class ReplicationBench {

    private static final int RECORD_BYTES = 1024;
    private static final int BATCH = 100;
    private static final int PARTITIONS = 4;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        List<String> options = List.of(args).subList(1, args.length);
        boolean quick = options.contains("--quick");
        long seconds = quick ? 4 : 10;
        deleteRecursively(root);
        if (options.contains("--large-polls")) {
            largePolls(root, quick ? 10 : 30);
            deleteRecursively(root);
            return;
        }
        ByteBuffer batch = encodedBatch();
        System.out.printf(
                "## appends of %d x %d B records (%d KiB batches), %d s per row%n",
                BATCH, RECORD_BYTES, batch.remaining() >> 10, seconds);
        System.out.printf(
                "%-44s %-8s %10s %12s %10s %10s%n", "log", "threads", "MB/s", "records/s", "p50 ms", "p99 ms");
        localLog(root.resolve("local"), batch, seconds);
        for (boolean sync : new boolean[] {true, false}) {
            System.out.printf(
                    "## replicated, acknowledged when a majority %s%n",
                    sync ? "forced the entry to disk (fsync, the default)" : "wrote it to the OS (fsync in background)");
            replicatedRuns(root.resolve(sync ? "sync" : "written"), batch, seconds, sync);
        }
        deleteRecursively(root);
    }

    private static void replicatedRuns(Path root, ByteBuffer batch, long seconds, boolean sync) throws Exception {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            addresses.put(Integer.toString(i), "127.0.0.1:" + freePort());
        }
        ClusterPeers peers = new ClusterPeers(addresses);
        ReplicationSettings settings = ReplicationSettings.defaults().withSyncBeforeAck(sync);
        List<ReplicaNode> nodes = new ArrayList<>();
        try {
            for (String id : peers.nodeIds()) {
                nodes.add(ReplicaNode.start(
                        ReplicaNodeConfig.of(id, peers, root.resolve("node-" + id)).withSettings(settings)));
            }
            ReplicationClient client = nodes.get(0).client();
            TopicConfig config = TopicConfig.DEFAULTS.with(Map.of("segment.bytes", Integer.toString(256 << 20)));
            TopicConfig four = config.with(Map.of("partitions", Integer.toString(PARTITIONS)));
            for (int p = 0; p < PARTITIONS; p++) {
                client.ensurePartition("rf1", p, List.of(peers.nodeIds().get(p % 3)), four);
                List<String> placement = new ArrayList<>(peers.nodeIds());
                Collections.rotate(placement, -p);
                client.ensurePartition("rf3", p, placement, four);
            }
            double[] rf1 = new double[3];
            double[] rf3 = new double[3];
            String[] rows = {"1 thread, 1 partition", "4 threads, 1 partition", "4 threads, 4 partitions"};
            for (int row = 0; row < rows.length; row++) {
                int threads = row == 0 ? 1 : 4;
                int partitions = row == 2 ? PARTITIONS : 1;
                rf1[row] = replicated(client, "rf1", "RF=1 (1-replica group)", threads, partitions, batch, seconds);
                rf3[row] = replicated(client, "rf3", "RF=3 (3 nodes, 1 JVM)", threads, partitions, batch, seconds);
            }
            for (int row = 0; row < rows.length; row++) {
                System.out.printf("## RF=3 / RF=1 throughput, %s: %.2f%n", rows[row], rf3[row] / rf1[row]);
            }
        } finally {
            for (ReplicaNode n : nodes) {
                n.close();
            }
        }
    }

    private static void largePolls(Path root, long seconds) throws Exception {
        List<List<Record>> polls = List.of(rows(4 << 20), rows(8 << 20));
        System.out.printf(
                "## one producer, polls of 4 and 8 MiB (alternating) of 3.7 KB rows, %d s per row%n", seconds);
        System.out.printf("%-52s %10s %10s %12s %12s%n", "log", "MB/s", "polls/s", "p50 ms/poll", "p99 ms/poll");
        int[] entries = {(1 << 20) + (64 << 10), ReplicationSettings.DEFAULT_MAX_ENTRY_BYTES};
        for (int entry : entries) {
            ReplicationSettings settings = ReplicationSettings.defaults().withEntryBytes(entry, 2L * entry);
            List<ReplicaNode> nodes = startNodes(root.resolve("entries-" + entry), settings);
            try {
                ReplicationClient client = nodes.get(0).client();
                List<String> ids = client.peers().nodeIds();
                client.ensurePartition("large-rf3", 0, ids, TopicConfig.DEFAULTS);
                client.ensurePartition("large-rf1", 0, List.of(ids.get(0)), TopicConfig.DEFAULTS);
                for (String topic : List.of("large-rf1", "large-rf3")) {
                    client.append(topic, 0, polls.get(0), -1, -1); // warm-up, and waits for the leader
                    String label = (topic.endsWith("rf3") ? "RF=3" : "RF=1") + ", entries of "
                            + (entry >> 10) + " KiB";
                    measurePolls(label, seconds, polls, poll -> client.append(topic, 0, poll, -1, -1));
                }
            } finally {
                for (ReplicaNode n : nodes) {
                    n.close();
                }
            }
        }
    }

    private static List<ReplicaNode> startNodes(Path root, ReplicationSettings settings) throws IOException {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 1; i <= 3; i++) {
            addresses.put(Integer.toString(i), "127.0.0.1:" + freePort());
        }
        ClusterPeers peers = new ClusterPeers(addresses);
        List<ReplicaNode> nodes = new ArrayList<>();
        for (String id : peers.nodeIds()) {
            nodes.add(ReplicaNode.start(
                    ReplicaNodeConfig.of(id, peers, root.resolve("node-" + id)).withSettings(settings)));
        }
        return nodes;
    }

    /** Rows of about 3.7 KB (Debezium change events of wide rows) totalling {@code bytes}. */
    private static List<Record> rows(int bytes) {
        Random random = new Random(bytes);
        List<Record> records = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int total = 0; total < bytes; ) {
            byte[] key = new byte[24];
            byte[] value = new byte[3600 + random.nextInt(200)];
            random.nextBytes(key);
            random.nextBytes(value);
            records.add(Record.of(key, value, now));
            total += key.length + value.length;
        }
        return records;
    }

    private interface PollAppender {
        void append(List<Record> poll) throws Exception;
    }

    private static void measurePolls(String label, long seconds, List<List<Record>> polls, PollAppender appender)
            throws Exception {
        List<Long> latencies = new ArrayList<>();
        long bytes = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        for (int i = 0; System.nanoTime() < end; i++) {
            List<Record> poll = polls.get(i % polls.size());
            long t0 = System.nanoTime();
            appender.append(poll);
            latencies.add(System.nanoTime() - t0);
            for (Record r : poll) {
                bytes += r.key().length + r.value().length;
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(
                "%-52s %10.1f %10.2f %12.0f %12.0f%n",
                label, bytes / secs / 1e6, all.length / secs, pct(all, 0.50), pct(all, 0.99));
    }

    private static ByteBuffer encodedBatch() {
        Random random = new Random(42);
        List<Record> records = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < BATCH; i++) {
            byte[] key = new byte[16];
            byte[] value = new byte[RECORD_BYTES - 16];
            random.nextBytes(key);
            random.nextBytes(value);
            records.add(Record.of(key, value, now));
        }
        return RecordBatch.encode(0, records, Compression.NONE, -1);
    }

    private interface Appender {
        void append() throws Exception;
    }

    private static void localLog(Path dir, ByteBuffer batch, long seconds) throws Exception {
        for (String flush : List.of("always", "interval")) {
            try (Log log = Log.open(LogOptions.defaults(dir.resolve(flush)))) {
                log.createTopic("local", Map.of("flush", flush, "segment.bytes", Integer.toString(256 << 20)));
                PartitionLog p = log.partition("local", 0);
                measure("local log, flush=" + flush, 1, seconds, () -> {
                    ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
                    p.appendBatches(List.of(copy));
                });
            }
        }
    }

    private static double replicated(
            ReplicationClient client,
            String topic,
            String label,
            int threads,
            int partitions,
            ByteBuffer batch,
            long seconds)
            throws Exception {
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; i < 20; i++) { // warm-up, and waits for the leader
                client.append(topic, p, batch.duplicate(), -1, -1);
            }
        }
        ThreadLocal<Integer> partition = ThreadLocal.withInitial(new java.util.concurrent.atomic.AtomicInteger()::getAndIncrement);
        String what = label + ", " + partitions + (partitions == 1 ? " partition" : " partitions");
        return measure(what, threads, seconds, () -> client.append(topic, partition.get() % partitions, batch.duplicate(), -1, -1));
    }

    /** Runs {@code threads} appenders for {@code seconds}; prints and returns records/s. */
    private static double measure(String label, int threads, long seconds, Appender appender) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<List<Long>> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        List<Exception> errors = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            workers.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        appender.append();
                        mine.add(System.nanoTime() - t0);
                    }
                } catch (Exception e) {
                    errors.add(e);
                }
            }));
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        Thread.sleep(seconds * 1000);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (!errors.isEmpty()) {
            throw errors.get(0);
        }
        long[] all = latencies.stream().flatMap(List::stream).mapToLong(Long::longValue).sorted().toArray();
        double records = (double) all.length * BATCH;
        System.out.printf(
                "%-44s %-8d %10.1f %12.0f %10.2f %10.2f%n",
                label,
                threads,
                records * RECORD_BYTES / secs / 1e6,
                records / secs,
                pct(all, 0.50),
                pct(all, 0.99));
        return records / secs;
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
