package io.sluice.demo;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The hub itself, {@code java -jar sluice.jar}, as a child process: one worker on 127.0.0.1 with its
 * log in a folder of the demo and its output in a file. When {@code setpriv} is on the PATH the
 * child also gets SIGTERM if the demo dies without cleaning up (a parent-death signal), so it never
 * outlives the demo.
 *
 * <p>Started and stopped from one thread at a time.
 */
final class WorkerProcess implements AutoCloseable {

    /**
     * Starts the child from a thread that lives as long as the JVM: the parent-death signal fires
     * when the thread that started the process ends.
     */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "demo-worker-launcher");
        thread.setDaemon(true);
        return thread;
    });

    private final Process process;
    private final Path output;

    private WorkerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts the worker; returns once the process runs (see {@link #awaitReady}). */
    static WorkerProcess start(Path jar, Path folder, int port) throws IOException {
        Path output = folder.resolve("worker.log");
        List<String> command = new ArrayList<>();
        setpriv().ifPresent(setpriv -> command.addAll(List.of(setpriv, "--pdeathsig=TERM", "--")));
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xss512k",
                "-XX:MaxRAMPercentage=25",
                "-jar",
                jar.toString(),
                "--server.address=127.0.0.1",
                "--server.port=" + port,
                "--sluice.data-dir=" + folder.resolve("hub-data"),
                "--sluice.plugin-path=" + folder.resolve("plugins"),
                "--sluice.offset-flush-interval=1s",
                // connector configs refer to the demo's passwords in a file (Demo#secretReferences)
                "--sluice.connect.config.providers=file",
                "--sluice.connect.config.providers.file.class="
                        + "org.apache.kafka.common.config.provider.FileConfigProvider"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        try {
            return new WorkerProcess(LAUNCHER.submit(builder::start).get(), output);
        } catch (ExecutionException e) {
            throw new IOException("Cannot start " + command, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted starting the worker", e);
        }
    }

    /** Waits until {@code hub} answers; throws with the end of the worker's output if it exits first. */
    void awaitReady(HubClient hub, long timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!hub.isUp()) {
            if (!process.isAlive()) {
                throw new IOException("The hub exited with status " + process.exitValue() + "; the end of " + output
                        + ":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("The hub did not answer within " + timeoutSeconds + " s; see " + output);
            }
            Thread.sleep(200);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Path output() {
        return output;
    }

    /** The last few KB of the worker's output. */
    String tail() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
            long from = Math.max(0, file.length() - 3000);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Stops the worker as Ctrl-C would (SIGTERM: tasks stopped, offsets committed, log flushed);
     * forcibly after 30 s. Blocks until it has exited.
     */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static java.util.Optional<String> setpriv() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "setpriv");
            if (Files.isExecutable(candidate)) {
                return java.util.Optional.of(candidate.toString());
            }
        }
        return java.util.Optional.empty();
    }
}
