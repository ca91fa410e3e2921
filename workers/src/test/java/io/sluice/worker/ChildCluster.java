package io.sluice.worker;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Several worker JVMs on 127.0.0.1 forming one cluster ({@code sluice.cluster.*} with default
 * session timeout), each with its own data directory, driven over REST and killed with SIGKILL.
 */
final class ChildCluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String classPath;
    private final Path dir;
    private final Path console;
    private final String peers;
    private final int size;
    private final Map<Integer, ChildWorker> workers = new TreeMap<>();
    /** Metadata-server addresses of workers that joined after the start (not in the seed list). */
    private final Map<Integer, String> joined = new TreeMap<>();

    private final List<String> extraArgs;
    /** {user, password} every worker is called with, or null. */
    private String[] credentials;

    private ChildCluster(String classPath, Path dir, Path console, int size, String... extraArgs) throws IOException {
        this.extraArgs = List.of(extraArgs);
        this.classPath = classPath;
        this.dir = dir;
        this.console = console;
        this.size = size;
        List<String> list = new ArrayList<>();
        for (int n = 1; n <= size; n++) {
            list.add(n + "@127.0.0.1:" + ChildWorker.freePort());
        }
        this.peers = String.join(",", list);
    }

    /**
     * Starts {@code size} workers at once (each with {@code extraArgs}) and waits until every one has
     * joined; if one fails to, stops those already started (the caller gets no cluster to close).
     */
    static ChildCluster start(Path dir, Path console, int size, String... extraArgs) throws IOException {
        return start(null, dir, console, size, extraArgs);
    }

    /** As {@link #start(Path, Path, int, String...)}, calling every worker with HTTP basic credentials. */
    static ChildCluster startAuthenticated(
            String user, String password, Path dir, Path console, int size, String... extraArgs) throws IOException {
        return start(new String[] {user, password}, dir, console, size, extraArgs);
    }

    private static ChildCluster start(String[] credentials, Path dir, Path console, int size, String... extraArgs)
            throws IOException {
        ChildCluster cluster =
                new ChildCluster(ChildWorker.stableClassPath(dir.resolve("classpath")), dir, console, size, extraArgs);
        cluster.credentials = credentials;
        try {
            for (int n = 1; n <= size; n++) {
                cluster.launch(n);
            }
            for (int n = 1; n <= size; n++) {
                cluster.workers.get(n).awaitReady();
            }
            cluster.awaitMembers(size);
            return cluster;
        } catch (IOException | RuntimeException e) {
            try {
                cluster.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                e.addSuppressed(interrupted);
            }
            throw e;
        }
    }

    String peers() {
        return peers;
    }

    Path dataDir(int node) {
        return dir.resolve("data-" + node);
    }

    ChildWorker launch(int node, String... extraArgs) throws IOException {
        List<String> args =
                new ArrayList<>(List.of("--sluice.cluster.node-id=" + node, "--sluice.worker-id=node-" + node));
        if (java.util.Arrays.stream(extraArgs).noneMatch(a -> a.startsWith("--sluice.cluster.peers="))) {
            args.add("--sluice.cluster.peers=" + peers);
        }
        if (joined.containsKey(node)) {
            args.add("--sluice.cluster.address=" + joined.get(node));
        }
        if (this.extraArgs.stream().noneMatch(a -> a.startsWith("--sluice.offset-flush-interval="))) {
            args.add("--sluice.offset-flush-interval=500ms");
        }
        args.addAll(this.extraArgs);
        args.addAll(List.of(extraArgs));
        ChildWorker w = ChildWorker.launch(classPath, dataDir(node), console, args.toArray(String[]::new));
        if (credentials != null) {
            w.authenticate(credentials[0], credentials[1]);
        }
        workers.put(node, w);
        return w;
    }

    /**
     * Starts a new worker {@code node} (not in the seed list) that joins the running cluster through
     * {@code sluice.cluster.join} (the first two seed workers' addresses), and waits for its REST API.
     * Restarted later ({@link #restart}), it rejoins from its data directory without {@code join}.
     */
    ChildWorker join(int node) throws IOException {
        joined.put(node, "127.0.0.1:" + ChildWorker.freePort());
        String[] seeds = peers.split(",");
        String join =
                seeds[0].substring(seeds[0].indexOf('@') + 1) + "," + seeds[1].substring(seeds[1].indexOf('@') + 1);
        ChildWorker w = launch(node, "--sluice.cluster.join=" + join);
        w.awaitReady();
        return w;
    }

    /** Starts a stopped or killed worker again on its data directory and waits for its REST API. */
    void restart(int node) throws IOException {
        launch(node).awaitReady();
    }

    void kill(int node) throws InterruptedException {
        workers.remove(node).kill();
    }

    /** SIGTERM to every worker at once, then waits for each to exit (a clean shutdown). */
    void stopAll() throws InterruptedException {
        List<ChildWorker> all = new ArrayList<>(workers.values());
        for (ChildWorker w : all) {
            w.terminate();
        }
        for (ChildWorker w : all) {
            w.awaitExit(90); // throws when a worker does not finish its shutdown by itself
        }
        workers.clear();
    }

    /** Starts every node again on its data directory and waits until all have joined. */
    void restartAll() throws IOException {
        for (int n = 1; n <= size; n++) {
            launch(n);
        }
        for (int n = 1; n <= size; n++) {
            workers.get(n).awaitReady();
        }
        awaitMembers(size);
    }

    void killAll() throws InterruptedException {
        for (int n : new ArrayList<>(workers.keySet())) {
            kill(n);
        }
    }

    List<Integer> alive() {
        return new ArrayList<>(workers.keySet());
    }

    ChildWorker worker(int node) {
        return workers.get(node);
    }

    /** Any live worker other than those given. */
    ChildWorker anyExcept(int... nodes) {
        for (Map.Entry<Integer, ChildWorker> e : workers.entrySet()) {
            if (java.util.Arrays.stream(nodes).noneMatch(n -> n == e.getKey())) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("no live worker left");
    }

    /** {@code /hub/workers} as seen by {@code from}. */
    static JsonNode workers(ChildWorker from) {
        return json(get(from, "/hub/workers"));
    }

    /** The metadata leader's node id as {@code from} sees it. */
    static Optional<Integer> leader(ChildWorker from) {
        for (JsonNode w : workers(from)) {
            if (w.path("metadata_leader").asBoolean(false)) {
                return Optional.of(w.get("node_id").asInt());
            }
        }
        return Optional.empty();
    }

    /** Waits until every worker sees {@code count} members RUNNING. */
    void awaitMembers(int count) {
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    for (ChildWorker w : workers.values()) {
                        long running = 0;
                        for (JsonNode n : workers(w)) {
                            running += "RUNNING".equals(n.get("state").asText()) ? 1 : 0;
                        }
                        if (running != count) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** {@code GET /connectors?expand=status} from {@code from}. */
    static JsonNode statuses(ChildWorker from) {
        return json(get(from, "/connectors?expand=status"));
    }

    /**
     * True when {@code from} shows every task of every connector RUNNING (there is at least one) on a
     * worker other than those in {@code not}.
     */
    static boolean allTasksRunning(ChildWorker from, int expectedTasks, String... not) {
        int running = 0;
        for (JsonNode c : statuses(from)) {
            for (JsonNode t : c.path("status").path("tasks")) {
                String worker = t.get("worker_id").asText();
                if (!"RUNNING".equals(t.get("state").asText()) || List.of(not).contains(worker)) {
                    return false;
                }
                running++;
            }
        }
        return running == expectedTasks;
    }

    static String get(ChildWorker from, String path) {
        try {
            HttpResponse<String> r = from.get(path);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int size() {
        return size;
    }

    @Override
    public void close() throws InterruptedException {
        for (ChildWorker w : workers.values()) {
            w.close();
        }
        workers.clear();
    }
}
