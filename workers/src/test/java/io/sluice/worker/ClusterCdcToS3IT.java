package io.sluice.worker;

import static io.sluice.worker.ChildCluster.allTasksRunning;
import static io.sluice.worker.ChildCluster.get;
import static io.sluice.worker.ChildCluster.json;
import static io.sluice.worker.ChildCluster.leader;
import static io.sluice.worker.ChildCluster.statuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.S3Fixture;
import io.sluice.testing.TestDatabase;
import io.sluice.worker.CdcLake.LakeObject;
import io.sluice.worker.CdcLake.Row;
import io.sluice.worker.ShopWorkload.Change;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postgres CDC into the S3 sink across worker deaths, in a cluster of three worker JVMs on
 * 127.0.0.1: two Debezium connectors (one table each) and an S3 sink with one task per worker, their
 * topics replicated over the workers, while a workload keeps inserting, updating and deleting rows.
 * Workers are killed with SIGKILL mid-stream, in rounds, each victim restarted and rejoined before the
 * next kill, until both cases happened: the metadata leader killed (it always runs tasks here), and a
 * worker that is not the leader killed while it runs a CDC source. Placement cannot be chosen, so the
 * test reads it before each kill: the two CDC tasks start on different workers, so the first round
 * finds one on a non-leader and the second kills the leader; more rounds only if placement moved both
 * CDC tasks onto the leader. After each kill every task is RUNNING on the survivors, as a survivor's
 * REST API says.
 *
 * <p>Then the lake is checked against two truths. The log: per topic partition the objects do not
 * overlap and hold every non-tombstone log record exactly once, in offset order (the sink's
 * exactly-once promise). PostgreSQL's journal, written in the same transaction as each change: every
 * committed change is in the lake, and per row the first deliveries come in commit order. Duplicates
 * (a CDC task resuming from its last committed offset after a failover, so bounded by the offset
 * commit interval) are counted and printed, and must stay well below a full replay.
 */
class ClusterCdcToS3IT {

    private static final int WORKERS = 3;
    /** Two CDC tasks and three S3 sink tasks: every worker runs at least one. */
    private static final int TASKS = 5;

    private static final int CHANGES_PER_SECOND = 100;
    private static final int MAX_ROUNDS = 6;
    private static final List<String> CDC_CONNECTORS = List.of("cdc-customers", "cdc-orders");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Kept when the test fails: the workers' data directories are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    /** Who leads the metadata group and which tasks each live worker runs, in a steady state. */
    record Placement(int leader, Map<Integer, List<String>> tasks) {
        boolean runsCdc(int node) {
            return tasks.getOrDefault(node, List.of()).stream().anyMatch(t -> t.startsWith("cdc-"));
        }
    }

    record Kill(int node, boolean leader, List<String> tasks, long changesBefore, long failoverMillis) {}

    private static Path console() {
        return Path.of("target", "ClusterCdcToS3IT-console.txt").toAbsolutePath();
    }

    @Test
    void killingTheLeaderAndAWorkerRunningCdcMidStreamLosesNoChange() throws Exception {
        Files.deleteIfExists(console());
        System.out.println("ClusterCdcToS3IT: workers' data in " + dir + ", their output in " + console());
        long started = System.nanoTime();
        try (TestDatabase db = PostgresFixture.shared().newDatabase();
                S3Fixture s3 = S3Fixture.start()) {
            ShopWorkload.create(db);
            String bucket = s3.createBucket("lake");
            CdcLake lake = new CdcLake(s3, bucket);
            try (ChildCluster cluster = ChildCluster.start(dir, console(), WORKERS)) {
                ChildWorker via = cluster.worker(1);
                post(via, "cdc-customers", cdc(db, "crm", "customers"));
                post(via, "cdc-orders", cdc(db, "shop", "orders"));
                post(via, "lake", sink(s3, bucket));
                awaitSteady(cluster);
                ShopWorkload workload = ShopWorkload.start(db, CHANGES_PER_SECOND, false);
                List<Kill> kills = killInRounds(cluster, lake, workload);

                // the last victim stays down: the survivors finish the stream
                String lastVictim = "node-" + kills.get(kills.size() - 1).node();
                ChildWorker survivor =
                        cluster.anyExcept(kills.get(kills.size() - 1).node());
                assertThat(allTasksRunning(survivor, TASKS, lastVictim))
                        .as("every task RUNNING on the survivors after the last kill: %s", statuses(survivor))
                        .isTrue();
                workload.stop();
                assertThat(workload.failure()).as("the workload's own failure").isNull();
                Map<Long, Change> journal = ShopWorkload.journal(db);
                long cutoff = journal.keySet().stream().mapToLong(s -> s).max().orElseThrow();
                long catchUpMillis = awaitLakeCatchesUp(db, lake, cutoff);

                List<LakeObject> objects = lake.readFresh();
                LakeChecks.assertObjectsDoNotOverlap(objects);
                // the survivors stop (SIGTERM), then their replicas of the log are read from their files
                List<Path> replicaLogs = cluster.alive().stream()
                        .map(n -> cluster.dataDir(n).resolve("replication").resolve("log"))
                        .toList();
                cluster.close();
                LakeChecks.assertHoldsTheLogExactlyOnce(replicaLogs, objects);
                Map<Long, Change> all = ShopWorkload.journal(db);
                int duplicates = LakeChecks.assertEveryChangeInCommitOrder(all, cutoff, CdcLake.rows(objects));
                System.out.printf(
                        "ClusterCdcToS3IT: %d kills %s; %d changes committed (snapshot rows included) before the"
                                + " cut-off, %d trailing inserts; %d objects, %d rows in S3, %d duplicates (%.2f %%);"
                                + " lake caught up %d ms after the workload stopped; test took %d s%n",
                        kills.size(),
                        kills,
                        journal.size(),
                        all.size() - journal.size(),
                        objects.size(),
                        CdcLake.rows(objects).size(),
                        duplicates,
                        100.0 * duplicates / journal.size(),
                        catchUpMillis,
                        (System.nanoTime() - started) / 1_000_000_000);
                // a source that started over from its snapshot, or a sink from the log start, repeats far more
                assertThat(duplicates).isLessThan(journal.size() / 4);
            }
        }
    }

    /**
     * Kills a worker per round, mid-stream, until the metadata leader and a non-leader running a CDC
     * task were both killed; every victim but the last is restarted and rejoins before the next round.
     */
    private static List<Kill> killInRounds(ChildCluster cluster, CdcLake lake, ShopWorkload workload) throws Exception {
        List<Kill> kills = new ArrayList<>();
        boolean leaderKilled = false;
        boolean cdcFollowerKilled = false;
        while (true) {
            assertThat(kills.size())
                    .as("rounds needed to kill both the leader and a non-leader running CDC: %s", kills)
                    .isLessThan(MAX_ROUNDS);
            awaitLakeGrows(lake, workload);
            Placement placement = awaitSteady(cluster);
            awaitStreamingOffsets(cluster.worker(placement.leader()));
            int victim = chooseVictim(placement, cdcFollowerKilled);
            Kill kill = kill(cluster, placement, victim, workload);
            kills.add(kill);
            System.out.printf(
                    "ClusterCdcToS3IT: round %d: killed node %d (%s; leader was %d) running %s after %d"
                            + " changes; every task RUNNING on the survivors %d ms later%n",
                    kills.size(),
                    victim,
                    kill.leader() ? "the metadata leader" : "not the leader",
                    placement.leader(),
                    kill.tasks(),
                    kill.changesBefore(),
                    kill.failoverMillis());
            leaderKilled |= kill.leader();
            cdcFollowerKilled |= !kill.leader() && placement.runsCdc(victim);
            if (leaderKilled && cdcFollowerKilled) {
                return kills;
            }
            cluster.restart(victim);
            cluster.awaitMembers(WORKERS);
        }
    }

    /** SIGKILL, then every task RUNNING on the survivors as one of them reports it. */
    private static Kill kill(ChildCluster cluster, Placement placement, int victim, ShopWorkload workload)
            throws InterruptedException {
        long changesBefore = workload.changes();
        long killedAt = System.nanoTime();
        cluster.kill(victim);
        ChildWorker survivor = cluster.anyExcept(victim);
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .failFast("the workload failed", () -> workload.failure() != null)
                .until(() -> allTasksRunning(survivor, TASKS, "node-" + victim));
        return new Kill(
                victim,
                victim == placement.leader(),
                placement.tasks().get(victim),
                changesBefore,
                (System.nanoTime() - killedAt) / 1_000_000);
    }

    /**
     * Waits until the lake holds every journal change up to {@code cutoff}, failing at once if it holds
     * a row that was never committed; returns how long that took. A few inserts of new rows meanwhile
     * keep record time moving, so every partition's last open object reaches rotate.interval.ms.
     */
    private static long awaitLakeCatchesUp(TestDatabase db, CdcLake lake, long cutoff) throws Exception {
        ShopWorkload trailer = ShopWorkload.start(db, 10, true);
        long from = System.nanoTime();
        AtomicReference<LakeChecks.Progress> progress = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofSeconds(1))
                    .failFast("the trailing inserts failed", () -> trailer.failure() != null)
                    .failFast(() -> assertThat(progress.get() == null
                                    || progress.get().phantoms().isEmpty())
                            .as("the lake holds rows that were never committed: %s", diagnosis(progress.get()))
                            .isTrue())
                    .until(() -> {
                        // the lake first: a row there is committed before the journal is read
                        List<Row> rows = CdcLake.rows(lake.read());
                        progress.set(LakeChecks.progress(rows, ShopWorkload.journal(db), cutoff));
                        return progress.get().caughtUp();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the lake did not catch up: " + diagnosis(progress.get()), e);
        } finally {
            trailer.stop();
        }
        assertThat(trailer.failure()).as("the trailing inserts' own failure").isNull();
        return (System.nanoTime() - from) / 1_000_000;
    }

    /**
     * A non-leader running a CDC task while that case is still to cover, else the leader (which runs
     * tasks; killing it again also moves CDC tasks it holds).
     */
    private static int chooseVictim(Placement placement, boolean cdcFollowerKilled) {
        if (!cdcFollowerKilled) {
            for (int node : placement.tasks().keySet()) {
                if (node != placement.leader() && placement.runsCdc(node)) {
                    return node;
                }
            }
        }
        return placement.leader();
    }

    /** Waits until the live workers agree on a leader and every task is RUNNING, each live worker running one. */
    private static Placement awaitSteady(ChildCluster cluster) {
        AtomicReference<Optional<Placement>> seen = new AtomicReference<>(Optional.empty());
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    seen.set(placement(cluster));
                    return seen.get().isPresent();
                });
        return seen.get().orElseThrow();
    }

    private static Optional<Placement> placement(ChildCluster cluster) {
        Set<Integer> leaders = new HashSet<>();
        for (int node : cluster.alive()) {
            leaders.add(leader(cluster.worker(node)).orElse(-1));
        }
        int leader = leaders.iterator().next();
        if (leaders.size() != 1 || !cluster.alive().contains(leader)) {
            return Optional.empty();
        }
        ChildWorker from = cluster.worker(leader);
        if (!allTasksRunning(from, TASKS)) {
            return Optional.empty();
        }
        Map<Integer, List<String>> tasks = new TreeMap<>();
        for (JsonNode c : statuses(from)) {
            String name = c.path("status").path("name").asText();
            for (JsonNode t : c.path("status").path("tasks")) {
                int node = Integer.parseInt(t.get("worker_id").asText().substring("node-".length()));
                tasks.computeIfAbsent(node, n -> new ArrayList<>())
                        .add(name + "/" + t.get("id").asInt());
            }
        }
        return tasks.keySet().equals(new TreeSet<>(cluster.alive()))
                ? Optional.of(new Placement(leader, tasks))
                : Optional.empty();
    }

    /**
     * Mid-stream: both CDC connectors have committed an offset of their streaming phase (a stored
     * snapshot offset, or none, makes Debezium take a new snapshot when its task starts again).
     */
    private static void awaitStreamingOffsets(ChildWorker from) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    for (String connector : CDC_CONNECTORS) {
                        boolean streaming = false;
                        for (JsonNode o : json(get(from, "/connectors/" + connector + "/offsets"))
                                .get("offsets")) {
                            streaming |= o.path("offset").has("lsn_proc");
                        }
                        if (!streaming) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** The lake's progress, and how often a CDC task started without a stored offset (the console says). */
    private static String diagnosis(LakeChecks.Progress progress) {
        long fresh = -1;
        try (var lines = Files.lines(console())) {
            fresh = lines.filter(l -> l.contains("Connector started with no previous offset"))
                    .count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // the count is a hint only
        }
        return (progress == null ? "nothing read yet" : progress.describe())
                + "; CDC tasks started without a stored offset (each takes a new snapshot): " + fresh
                + " times, " + CDC_CONNECTORS.size() + " expected (see " + console() + ")";
    }

    /** Mid-stream: new objects reached the lake since the last look. */
    private static void awaitLakeGrows(CdcLake lake, ShopWorkload workload) {
        int before = lake.read().size();
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(500))
                .failFast("the workload failed", () -> workload.failure() != null)
                .until(() -> lake.read().size() >= before + 4);
    }

    private static void post(ChildWorker via, String name, Map<String, String> config) throws Exception {
        var response = via.post("/connectors", JSON.writeValueAsString(Map.of("name", name, "config", config)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** Debezium capturing one table into {@code <prefix>.public.<table>}, a topic of three partitions. */
    private static Map<String, String> cdc(TestDatabase db, String prefix, String table) {
        String suffix = table + "_" + db.database();
        Map<String, String> c = CdcConfigs.postgres(db, prefix, "public." + table, "slot_" + suffix, "pub_" + suffix);
        c.put("tasks.max", "1");
        c.put("topic.creation.default.partitions", Integer.toString(WORKERS));
        return c;
    }

    /** The S3 sink over both topics, one task per worker, rows flattened and tagged with their log offset. */
    private static Map<String, String> sink(S3Fixture s3, String bucket) {
        Map<String, String> c = new LinkedHashMap<>(s3.connectorSettings(bucket));
        c.put("connector.class", "io.sluice.connect.s3.S3SinkConnector");
        c.put("tasks.max", Integer.toString(WORKERS));
        c.put("topics", "crm.public.customers,shop.public.orders");
        c.put("format.class", "json");
        c.put("flush.size", "200");
        c.put("rotate.interval.ms", "2000");
        c.put("timestamp.extractor", "Record");
        c.put("transforms", "unwrap,coordinates");
        c.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
        c.put("transforms.unwrap.delete.tombstone.handling.mode", "rewrite");
        c.put("transforms.unwrap.add.fields", "op");
        c.put("transforms.coordinates.type", "org.apache.kafka.connect.transforms.InsertField$Value");
        c.put("transforms.coordinates.partition.field", "__partition");
        c.put("transforms.coordinates.offset.field", "__offset");
        return c;
    }
}
