package io.sluice.worker;

import static io.sluice.worker.ChildCluster.allTasksRunning;
import static io.sluice.worker.ChildCluster.leader;
import static io.sluice.worker.ChildCluster.workers;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover time: kill -9 of a worker → every task RUNNING on the survivors (as a survivor's REST API
 * reports it, polled every 20 ms), with default cluster settings, over a three-worker cluster running
 * two connectors of three tasks each. Runs {@code failover.runs} (default 10) kills of the metadata
 * leader and as many of another worker, restarting the victim after each, and prints the medians.
 * Not part of the suite: {@code bench/run failover}.
 */
class FailoverBench {

    private static final int TASKS = 6;

    @TempDir
    Path dir;

    @Test
    void failoverTime() throws Exception {
        int runs = Integer.getInteger("failover.runs", 10);
        Path console = Path.of("target", "FailoverBench-console.txt").toAbsolutePath();
        Files.deleteIfExists(console);
        try (ChildCluster cluster = ChildCluster.start(dir, console, 3)) {
            for (String name : List.of("bench-a", "bench-b")) {
                cluster.worker(1)
                        .post(
                                "/connectors",
                                "{\"name\":\"" + name + "\",\"config\":{\"connector.class\":\""
                                        + SequenceSourceConnector.class.getName() + "\",\"topic\":\"" + name
                                        + "\",\"tasks.max\":\"3\",\"batch.size\":\"10\",\"poll.delay.ms\":\"50\"}}");
            }
            awaitSettled(cluster);
            List<Long> leaderKills = new ArrayList<>();
            List<Long> otherKills = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                leaderKills.add(killAndMeasure(cluster, true));
                otherKills.add(killAndMeasure(cluster, false));
                System.out.printf(
                        "run %2d: leader killed %5d ms, other worker killed %5d ms (load %s)%n",
                        i + 1, leaderKills.get(i), otherKills.get(i), load());
            }
            System.out.printf(
                    "## failover (kill -9 -> all %d tasks RUNNING on survivors), %d runs each%n", TASKS, runs);
            System.out.println(summary("metadata leader killed", leaderKills));
            System.out.println(summary("another worker killed ", otherKills));
            System.out.println("## load average at the end: " + load());
        }
    }

    private static long killAndMeasure(ChildCluster cluster, boolean killLeader) throws Exception {
        ChildWorker probe = cluster.worker(cluster.alive().get(0));
        int leader = leader(probe).orElseThrow();
        int victim = leader;
        if (!killLeader) {
            for (JsonNode w : workers(probe)) {
                if (w.get("node_id").asInt() != leader && w.get("tasks").asInt() > 0) {
                    victim = w.get("node_id").asInt();
                    break;
                }
            }
        }
        ChildWorker survivor = cluster.anyExcept(victim);
        String gone = "node-" + victim;
        long start = System.nanoTime();
        cluster.kill(victim);
        await().atMost(Duration.ofSeconds(120))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .until(() -> allTasksRunning(survivor, TASKS, gone));
        long millis = (System.nanoTime() - start) / 1_000_000;
        cluster.restart(victim);
        awaitSettled(cluster);
        return millis;
    }

    /** All members up, every task running, and the assignment spread back over the three. */
    private static void awaitSettled(ChildCluster cluster) {
        cluster.awaitMembers(3);
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
            ChildWorker w = cluster.worker(cluster.alive().get(0));
            for (JsonNode n : workers(w)) {
                if (n.get("tasks").asInt() != TASKS / 3) {
                    return false;
                }
            }
            return allTasksRunning(w, TASKS);
        });
    }

    private static String summary(String label, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1
                ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2.0;
        return String.format(
                "%s: median %.2f s, min %.2f s, max %.2f s",
                label, median / 1000, sorted.get(0) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }

    /** The load average line of /proc/loadavg (every bench prints it beside its figures). */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
