package io.sluice.worker;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker in its own JVM (same class path as the test, copied so a concurrent build cannot change
 * it), driven over its REST API and killed for real with SIGKILL. Output goes to a console file.
 */
final class ChildWorker implements AutoCloseable {

    private static final long READY_SECONDS = 300;

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();
    /** HTTP basic credentials sent with every call (null: none), for workers with a users file. */
    private volatile String authorization;

    /** Names of the worker JVM's live threads, from a thread dump ({@code jcmd <pid> Thread.print}). */
    List<String> threadNames() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(process.pid()),
                        "Thread.print")
                .redirectErrorStream(true)
                .start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new IOException("jcmd failed: " + dump);
        }
        List<String> names = new java.util.ArrayList<>();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?m)^\"([^\"]*)\"").matcher(dump);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private ChildWorker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ChildWorker start(String classPath, Path dataDir, Path console, String... extraArgs) throws IOException {
        ChildWorker child = launch(classPath, dataDir, console, extraArgs);
        child.awaitReady();
        return child;
    }

    /** Starts the child without waiting for its REST API (see {@link #awaitReady()}). */
    static ChildWorker launch(String classPath, Path dataDir, Path console, String... extraArgs) throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                classPath,
                SluiceApplication.class.getName(),
                "--sluice.data-dir=" + dataDir,
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--sluice.plugin-path=" + dataDir.resolveSibling("no-plugins")));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        return new ChildWorker(builder.start(), port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    /** Sends these HTTP basic credentials with every later call. */
    void authenticate(String user, String password) {
        authorization = "Basic "
                + java.util.Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The worker JVM's process id (to tell a restarted worker from one that kept running). */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the child to exit by itself; returns its exit status. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child worker still running after " + seconds + " s");
        }
        return process.exitValue();
    }

    /** Waits for the REST API; a JVM starting on a host loaded many times over its cores can take minutes. */
    void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("child worker exited with " + process.exitValue());
            }
            try {
                if (get("/").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("child worker not ready within " + READY_SECONDS + " s");
    }

    HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<String> put(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    HttpResponse<String> delete(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
    }

    HttpResponse<String> post(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            HttpRequest.Builder builder =
                    HttpRequest.newBuilder(request, (n, v) -> true).timeout(Duration.ofSeconds(30));
            String auth = authorization;
            if (auth != null) {
                builder.header("Authorization", auth);
            }
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Sends SIGTERM without waiting (see {@link #close()}). */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no flush, no offset commit. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 137) {
            throw new IllegalStateException("child did not die of SIGKILL");
        }
    }

    /** SIGTERM, a graceful stop: waits up to {@code seconds} for the child to exit and returns its status. */
    int terminate(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("child still running " + seconds + " s after SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The test class path with build directories copied into {@code dir}. */
    static String stableClassPath(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.isDirectory(source)) {
                out.add(entry);
                continue;
            }
            Path copy = dir.resolve(Integer.toString(i++));
            try (var files = Files.walk(source)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            out.add(copy.toString());
        }
        return String.join(java.io.File.pathSeparator, out);
    }
}
