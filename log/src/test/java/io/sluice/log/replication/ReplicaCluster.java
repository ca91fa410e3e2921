package io.sluice.log.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Replica nodes as child JVMs on 127.0.0.1 ({@link ReplicaNodeProcess}), each with its own data
 * directory, killed with SIGKILL and restarted on the same directory and port.
 */
final class ReplicaCluster implements AutoCloseable {

    private final Path root;
    private final ClusterPeers peers;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final boolean productionEntries;

    ReplicaCluster(Path root, int nodes) {
        this(root, nodes, false);
    }

    /**
     * @param productionEntries nodes use the production entry and Raft segment sizes (entries of 8 MiB +
     *     64 KiB) instead of the small test ones
     */
    ReplicaCluster(Path root, int nodes, boolean productionEntries) {
        this.root = root;
        this.productionEntries = productionEntries;
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 1; i <= nodes; i++) {
            addresses.put(Integer.toString(i), "127.0.0.1:" + freePort());
        }
        this.peers = new ClusterPeers(addresses);
    }

    /** Shorter Raft timeouts than production so failover is quick in tests; frequent snapshots. */
    static ReplicationSettings testSettings() {
        return ReplicationSettings.defaults()
                .withElectionTimeout(Duration.ofMillis(600), Duration.ofMillis(1200))
                .withOperationTimeout(Duration.ofSeconds(20))
                .withSnapshotEveryEntries(64)
                // small Raft segments, so snapshots really purge the Raft logs
                .withEntryBytes(64 << 10, 128 << 10);
    }

    /** {@link #testSettings()} with the production sizes of entries and Raft segments. */
    static ReplicationSettings testSettingsWithProductionEntries() {
        ReplicationSettings defaults = ReplicationSettings.defaults();
        return testSettings().withEntryBytes(defaults.maxEntryBytes(), defaults.raftSegmentBytes());
    }

    private volatile boolean purgeUpToSnapshot;

    /**
     * Nodes started from now on purge their Raft logs at every snapshot, so a replica that was down
     * must copy the partition from the leader.
     */
    void purgeUpToSnapshot(boolean purge) {
        this.purgeUpToSnapshot = purge;
    }

    ClusterPeers peers() {
        return peers;
    }

    Path dataDir(String node) {
        return root.resolve("node-" + node);
    }

    void startAll() {
        peers.nodeIds().forEach(this::start);
    }

    /** Starts node {@code id} and waits until its Raft server is up. */
    void start(String id) {
        StringJoiner list = new StringJoiner(",");
        peers.addresses().forEach((n, a) -> list.add(n + "@" + a));
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                productionEntries ? "-Xmx768m" : "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                ReplicaNodeProcess.class.getName(),
                id,
                list.toString(),
                dataDir(id).toString(),
                Boolean.toString(purgeUpToSnapshot),
                Boolean.toString(productionEntries));
        builder.redirectError(ProcessBuilder.Redirect.appendTo(
                root.resolve("node-" + id + ".err").toFile()));
        try {
            Process p = builder.start();
            processes.put(id, p);
            CountDownLatch ready = new CountDownLatch(1);
            Path logFile = root.resolve("node-" + id + ".out");
            Thread drain = new Thread(
                    () -> {
                        try (BufferedReader out = new BufferedReader(
                                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                                Writer w = Files.newBufferedWriter(
                                        logFile,
                                        StandardCharsets.UTF_8,
                                        StandardOpenOption.CREATE,
                                        StandardOpenOption.APPEND)) {
                            String line;
                            while ((line = out.readLine()) != null) {
                                if (line.equals("READY")) {
                                    ready.countDown();
                                }
                                w.write(line);
                                w.write('\n');
                                w.flush(); // tests read the output while the node runs
                            }
                        } catch (IOException e) {
                            // the process is gone
                        }
                    },
                    "node-" + id + "-stdout");
            drain.setDaemon(true);
            drain.start();
            // a node replaying multi-MiB Raft entries on a loaded host can take well over a minute to start
            boolean started = ready.await(180, TimeUnit.SECONDS);
            assertThat(started)
                    .as("node " + id + " started (see " + logFile + ")")
                    .isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** SIGKILLs node {@code id} and waits for it to be gone. */
    void kill(String id) {
        Process p = processes.remove(id);
        p.toHandle().destroyForcibly();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(p.exitValue()).as("node " + id + " was killed").isEqualTo(137);
    }

    /** What node {@code id}'s processes printed so far (standard output and error). */
    String output(String id) {
        StringBuilder out = new StringBuilder();
        for (String suffix : new String[] {".out", ".err"}) {
            Path file = root.resolve("node-" + id + suffix);
            try {
                if (Files.exists(file)) {
                    out.append(Files.readString(file, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out.toString();
    }

    boolean isRunning(String id) {
        return processes.containsKey(id);
    }

    /** Asks every node to close cleanly and waits for it. */
    void stopAll() {
        for (Map.Entry<String, Process> e : Map.copyOf(processes).entrySet()) {
            Process p = e.getValue();
            try {
                OutputStream in = p.getOutputStream();
                in.write("STOP\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException ignored) {
                // already gone
            }
        }
        for (Map.Entry<String, Process> e : Map.copyOf(processes).entrySet()) {
            try {
                boolean exited = e.getValue().waitFor(60, TimeUnit.SECONDS);
                assertThat(exited).as("node " + e.getKey() + " stopped").isTrue();
                assertThat(e.getValue().exitValue())
                        .as("node " + e.getKey() + " exit code")
                        .isZero();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
            processes.remove(e.getKey());
        }
    }

    @Override
    public void close() {
        for (Process p : processes.values()) {
            p.destroyForcibly();
        }
        processes.clear();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
