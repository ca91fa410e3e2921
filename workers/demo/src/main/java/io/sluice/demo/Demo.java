package io.sluice.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.LocalPostgres;
import io.sluice.testing.Trees;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo from start to stop: starts the hub (a child process), PostgreSQL and the S3 API server,
 * creates the sample shop, registers the CDC source and the S3 sink through the REST API, starts the
 * workload once the snapshot is done, then shows progress until {@link #stop()} (Ctrl-C).
 *
 * <p>{@link #run()} is called once, from the main thread; {@link #stop()} from any thread (a
 * shutdown hook), any number of times: the first call cleans up, later ones wait for it.
 */
final class Demo {

    private final DemoOptions options;
    private final Path folder;
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Object cleanedUp = new Object();
    private boolean done;

    private volatile WorkerProcess worker;
    private volatile LocalPostgres postgres;
    private volatile LakeServer lake;
    private volatile Workload workload;

    Demo(DemoOptions options, Path folder, PrintStream out, boolean terminal) {
        this.options = options;
        this.folder = folder;
        this.out = out;
        this.terminal = terminal;
    }

    void run() throws Exception {
        int port = options.port() == 0 ? freePort() : requireFree(options.port());
        HubClient hub = new HubClient("http://127.0.0.1:" + port);
        out.println("== Sluice demo: Postgres changes -> Debezium CDC -> the hub's log -> S3, files in " + folder);
        out.println("== starting the hub (" + options.workerJar() + "), PostgreSQL 16 and an S3 API server");
        worker = WorkerProcess.start(options.workerJar(), folder, port);
        postgres = LocalPostgres.start(folder.resolve("postgres.log"), options.postgresPort());
        lake = LakeServer.start(folder.resolve("s3"), options.s3Port());
        ShopDatabase shop = ShopDatabase.create(postgres);
        worker.awaitReady(hub, 180);
        if (stopping.get()) {
            return;
        }
        printWhere(hub, shop);

        Path secrets = writeSecrets(shop, lake.coordinates());
        DemoPipeline.Database db = shop.coordinates();
        DemoPipeline.Bucket bucket = lake.coordinates();
        String source = DemoPipeline.request(
                DemoPipeline.SOURCE,
                DemoPipeline.cdcSource(new DemoPipeline.Database(
                        db.host(), db.port(), db.name(), db.user(), reference(secrets, "shop.password"))));
        String sink = DemoPipeline.request(
                DemoPipeline.SINK,
                DemoPipeline.lakeSink(new DemoPipeline.Bucket(
                        bucket.endpoint(),
                        bucket.name(),
                        bucket.region(),
                        bucket.accessKey(),
                        reference(secrets, "lake.secret.key"))));
        out.println("== POST " + hub.base() + "/connectors  (the CDC source)");
        out.println(source);
        hub.create(source);
        out.println("== POST " + hub.base() + "/connectors  (the S3 sink)");
        out.println(sink);
        hub.create(sink);

        long snapshotRows = awaitSnapshot(hub);
        synchronized (this) {
            if (stopping.get()) {
                return;
            }
            workload = new Workload(shop, options.changesPerSecond());
            workload.start();
        }
        out.println("== the workload is changing rows (" + options.changesPerSecond()
                + " changes/s); watch it in the web UI: " + hub.base() + "/ui   (Ctrl-C stops everything)");
        showProgress(hub, snapshotRows);
    }

    /**
     * The passwords go to a file only the demo's user can read; the connector configs refer to them
     * with {@code ${file:...}} (Kafka's FileConfigProvider), as the README recommends for real ones, so
     * the hub never stores them.
     */
    private Path writeSecrets(ShopDatabase shop, DemoPipeline.Bucket bucket) throws IOException {
        Path file = folder.resolve("secrets.properties");
        Files.writeString(file, "shop.password=" + shop.password() + "\nlake.secret.key=" + bucket.secretKey() + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String reference(Path secrets, String key) {
        return "${file:" + secrets + ":" + key + "}";
    }

    private void printWhere(HubClient hub, ShopDatabase shop) {
        DemoPipeline.Bucket bucket = lake.coordinates();
        out.println("== everything listens on 127.0.0.1:");
        out.println("   web UI      " + hub.base() + "/ui");
        out.println("   REST API    " + hub.base() + "   (Kafka Connect's API; hub log in " + folder.resolve("hub-data")
                + ")");
        out.println("   PostgreSQL  " + shop.jdbcUrl() + "  user " + ShopDatabase.USER + " password "
                + shop.password() + "   (psql postgresql://" + ShopDatabase.USER + ":" + shop.password() + "@"
                + postgres.host() + ":" + postgres.port() + "/" + ShopDatabase.NAME + ")");
        out.println("   S3          " + bucket.endpoint() + "  bucket " + bucket.name() + "  access key "
                + bucket.accessKey() + " secret " + bucket.secretKey() + "   (files in "
                + folder.resolve("s3").resolve(bucket.name()) + ")");
    }

    /** Waits until the source's initial snapshot is done, so the workload's changes all stream after it. */
    private long awaitSnapshot(HubClient hub) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!stopping.get()) {
            JsonNode snapshot = hub.get("/hub/connectors/" + DemoPipeline.SOURCE + "/snapshot")
                    .orElse(null);
            if (snapshot != null && snapshot.path("completed").asBoolean()) {
                long rows = snapshot.path("rows_scanned").asLong();
                out.println("== initial snapshot done: " + rows + " rows of "
                        + snapshot.path("tables_total").asInt() + " tables");
                return rows;
            }
            failedTask(hub, DemoPipeline.SOURCE).ifPresent(trace -> {
                throw new IllegalStateException("The CDC source failed:\n" + trace);
            });
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "The CDC source's snapshot did not finish within 120 s; see " + worker.output());
            }
            Thread.sleep(200);
        }
        return 0;
    }

    private void showProgress(HubClient hub, long snapshotRows) throws InterruptedException {
        Progress progress = new Progress(out, terminal, 5, startNanos);
        boolean reportedFailure = false;
        for (long tick = 0; !stopping.get(); tick++) {
            try {
                List<LakeServer.LakeObject> objects = lake.objects();
                long topicRecords = 0;
                for (String topic : DemoPipeline.topics()) {
                    topicRecords += hub.records(topic);
                }
                long lakeRecords = objects.stream()
                        .mapToLong(LakeServer.LakeObject::records)
                        .sum();
                progress.update(
                        objects,
                        new Progress.Counts(
                                snapshotRows,
                                workload.inserts(),
                                workload.updates(),
                                workload.deletes(),
                                topicRecords,
                                objects.size(),
                                lakeRecords));
                if (!reportedFailure && tick % 5 == 0) {
                    for (String connector : List.of(DemoPipeline.SOURCE, DemoPipeline.SINK)) {
                        var trace = failedTask(hub, connector);
                        if (trace.isPresent()) {
                            progress.message("!! connector " + connector + " has a FAILED task (details in the UI):\n"
                                    + trace.get().lines().limit(3).reduce("", (a, b) -> a + "   " + b + "\n"));
                            reportedFailure = true;
                        }
                    }
                }
            } catch (IOException e) {
                if (!stopping.get()) {
                    progress.message("!! " + e.getMessage());
                }
            }
            if (!worker.isAlive() && !stopping.get()) {
                throw new IllegalStateException("The hub exited; the end of " + worker.output() + ":\n" + tail());
            }
            if (workload.failure() != null && !stopping.get()) {
                throw new IllegalStateException("The workload stopped", workload.failure());
            }
            Thread.sleep(1000);
        }
    }

    private static java.util.Optional<String> failedTask(HubClient hub, String connector) throws IOException {
        return hub.get("/connectors/" + connector + "/status").flatMap(status -> {
            for (JsonNode task : status.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    return java.util.Optional.of(task.path("trace").asText());
                }
            }
            return java.util.Optional.empty();
        });
    }

    private String tail() {
        try {
            return worker.tail();
        } catch (IOException e) {
            return "(cannot read it: " + e.getMessage() + ")";
        }
    }

    /** True if {@link #stop()} has begun or begins within {@code millis}. */
    boolean awaitStopping(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!stopping.get() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return stopping.get();
    }

    /**
     * Stops the workload, the hub (as Ctrl-C would stop it), the S3 API server and PostgreSQL, and
     * deletes the demo's folder and PostgreSQL's data. Blocks until done; idempotent.
     */
    void stop() {
        if (!stopping.compareAndSet(false, true)) {
            synchronized (cleanedUp) {
                while (!done) {
                    try {
                        cleanedUp.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            return;
        }
        out.println();
        out.println("== stopping: workload, hub, S3 API server, PostgreSQL");
        quietly("the workload", () -> {
            Workload started;
            synchronized (this) {
                started = workload;
            }
            if (started != null) {
                started.stop();
            }
        });
        quietly("the hub", () -> {
            if (worker != null) {
                worker.close();
            }
        });
        quietly("the S3 API server", () -> {
            if (lake != null) {
                lake.close();
            }
        });
        quietly("PostgreSQL", () -> {
            if (postgres != null) {
                postgres.close();
            }
        });
        quietly("the demo's files", () -> Trees.deleteTree(folder));
        out.println("== stopped; removed " + folder + " and PostgreSQL's data");
        synchronized (cleanedUp) {
            done = true;
            cleanedUp.notifyAll();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            out.println("!! could not stop " + what + ": " + e);
        }
    }

    private static int requireFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return port;
        } catch (IOException e) {
            throw new IllegalArgumentException("Port " + port
                    + " on 127.0.0.1 is in use (a hub already running?): pass --port=<another port>, or --port=0 for a"
                    + " free one");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
