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
 */
public final class ReplicationBench {

    private static final int RECORD_BYTES = 1024;
    private static final int BATCH = 100;
    private static final int PARTITIONS = 4;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        boolean quick = args.length > 1 && args[1].equals("--quick");
        long seconds = quick ? 4 : 10;
        deleteRecursively(root);
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
