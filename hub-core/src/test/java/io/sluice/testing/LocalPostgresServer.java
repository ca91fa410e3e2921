package io.sluice.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server this JVM starts from local binaries: {@code initdb} into a fresh run
 * directory, then {@code postgres} on 127.0.0.1 and a free port, as the {@link ServerAccount}.
 *
 * <p>{@link #start()} blocks until the server accepts connections; {@link #stop()} does a fast
 * shutdown and deletes the data. Both are meant to be called once, from one thread at a time.
 */
final class LocalPostgresServer implements PostgresServer {

    static final String HOST = "127.0.0.1";
    static final String USER = "postgres";
    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgresServer.class);
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);
    private static final int PORT_ATTEMPTS = 5;
    /**
     * Durability is traded for speed, except synchronous_commit: with it off, a commit's WAL is
     * flushed a moment later, and logical decoding (which reads flushed WAL only) misses changes a
     * test has just committed.
     */
    private static final String SETTINGS = """

            # Added by io.sluice.testing.LocalPostgresServer
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            wal_level = logical
            max_replication_slots = 32
            max_wal_senders = 32
            max_connections = 200
            fsync = off
            full_page_writes = off
            """;

    /**
     * Starts the server process from a thread that lives as long as the JVM: the server's
     * parent-death signal fires when the thread that started it ends, not the JVM.
     */
    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "postgres-fixture-launcher");
        thread.setDaemon(true);
        return thread;
    });

    private final ServerAccount account;
    private final Path installation;
    private final Path run;
    private final Path log;
    private final String password;
    private Process process;
    private int port;

    private LocalPostgresServer(ServerAccount account, Path installation, Path run, Path log) {
        this.account = account;
        this.installation = installation;
        this.run = run;
        this.log = log;
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        this.password = HexFormat.of().formatHex(random);
    }

    /** Initialises and starts a new server on a free port; blocks until it accepts connections. */
    static LocalPostgresServer start() {
        return start(null, 0);
    }

    /**
     * Initialises and starts a new server; blocks until it accepts connections.
     *
     * @param logFile where the server's output goes; null for the fixture's default location
     * @param fixedPort the port to listen on; 0 for a free one
     */
    static LocalPostgresServer start(Path logFile, int fixedPort) {
        try {
            ServerAccount account = ServerAccount.detect();
            Path base = RunDirectory.base(account);
            RunDirectory.reapAbandoned(base);
            Path installation = PostgresBinaries.install(base.resolve("binaries"));
            Path log = logFile == null ? logFile(base) : logFile.toAbsolutePath();
            Files.writeString(log, "", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            LocalPostgresServer server =
                    new LocalPostgresServer(account, installation, RunDirectory.create(base, account), log);
            LOG.info("Starting PostgreSQL from {} as {}, log in {}", installation, account, server.log);
            try {
                server.initdb();
                server.launch(fixedPort);
            } catch (IOException | RuntimeException e) {
                server.stop();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start a local PostgreSQL server", e);
        }
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public String maintenanceDatabase() {
        return "postgres";
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.of(log);
    }

    @Override
    public synchronized void stop() {
        try {
            if (process != null && process.isAlive()) {
                fastShutdown();
            }
            Trees.deleteTree(run);
        } catch (IOException e) {
            LOG.warn("Could not delete {}; the next run cleans it up", run, e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL " + HOST + ":" + port + " from " + installation + " as " + account + ", log " + log;
    }

    private void fastShutdown() {
        try {
            runToCompletion(
                    List.of(bin("pg_ctl"), "stop", "-D", data().toString(), "-m", "fast", "-w", "-t", "60"),
                    STOP_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            LOG.warn("pg_ctl stop failed; terminating PostgreSQL", e);
            process.destroy();
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void initdb() throws IOException {
        Path passwordFile = run.resolve("password");
        Files.writeString(passwordFile, password + "\n");
        account.handOver(passwordFile);
        runToCompletion(
                List.of(
                        bin("initdb"),
                        "--pgdata=" + data(),
                        "--username=" + USER,
                        "--pwfile=" + passwordFile,
                        "--auth-host=scram-sha-256",
                        "--auth-local=trust",
                        "--encoding=UTF8",
                        "--no-locale",
                        "--no-sync"),
                INITDB_TIMEOUT);
        Files.delete(passwordFile);
        Files.writeString(data().resolve("postgresql.conf"), SETTINGS, StandardOpenOption.APPEND);
    }

    /**
     * Stops the server with a fast shutdown (clients are disconnected), keeping its data; blocks until
     * it is down. {@link #startAgain()} brings it back.
     */
    synchronized void shutDownKeepingData() {
        if (process != null && process.isAlive()) {
            fastShutdown();
        }
    }

    /** Starts a server stopped by {@link #shutDownKeepingData()} again, on the same port; blocks until ready. */
    synchronized void startAgain() {
        try {
            long logOffset = Files.size(log);
            if (!launchOn(port)) {
                throw new IllegalStateException(
                        "PostgreSQL did not start again on port " + port + "; its log says:\n" + logSince(logOffset));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start PostgreSQL again", e);
        }
    }

    /**
     * Starts postgres on {@code fixedPort}, or on a free port (trying another one if it is taken
     * between pick and bind) when that is 0.
     */
    private void launch(int fixedPort) throws IOException {
        int attempts = fixedPort == 0 ? PORT_ATTEMPTS : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            port = fixedPort == 0 ? freePort() : fixedPort;
            long logOffset = Files.size(log);
            if (launchOn(port)) {
                return;
            }
            String output = logSince(logOffset);
            if (!output.contains("could not bind") && !output.contains("Address already in use")) {
                throw new IllegalStateException("PostgreSQL did not start; its log (" + log + ") says:\n" + output);
            }
            if (fixedPort != 0) {
                throw new IllegalStateException(
                        "PostgreSQL cannot listen on 127.0.0.1:" + port + ": the port is in use");
            }
            LOG.info("Port {} was taken; trying another", port);
        }
        throw new IllegalStateException("PostgreSQL found no free port in " + PORT_ATTEMPTS + " attempts; see " + log);
    }

    /** Starts postgres on {@code port}; true once it accepts logins, false if it exited first. */
    private boolean launchOn(int port) throws IOException {
        List<String> command = account.longRunningCommand(
                List.of(bin("postgres"), "-D", data().toString(), "-p", String.valueOf(port)));
        process = onLauncherThread(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
        return awaitReady();
    }

    /** Waits until the server accepts a login; false if the process exits first. */
    private boolean awaitReady() {
        TestDatabase maintenance = new TestDatabase(HOST, port, maintenanceDatabase(), USER, password, null);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Connection connection = maintenance.openConnection()) {
                return true;
            } catch (SQLException e) {
                last = e;
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(
                "PostgreSQL did not accept connections within " + READY_TIMEOUT + "; see " + log, last);
    }

    private void runToCompletion(List<String> command, Duration timeout) throws IOException {
        Process tool = new ProcessBuilder(account.command(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            if (!tool.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                tool.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " timed out after " + timeout + "; see " + log);
            }
        } catch (InterruptedException e) {
            tool.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for " + command.get(0), e);
        }
        if (tool.exitValue() != 0) {
            throw new IllegalStateException(
                    command.get(0) + " exited with " + tool.exitValue() + "; see " + log + ":\n" + tail());
        }
    }

    private static Process onLauncherThread(ProcessBuilder builder) throws IOException {
        try {
            return LAUNCHER.submit(builder::start).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted starting PostgreSQL", e);
        }
    }

    private Path data() {
        return run.resolve("data");
    }

    private String bin(String program) {
        return installation.resolve("bin").resolve(program).toString();
    }

    private String tail() throws IOException {
        return logSince(Math.max(0, Files.size(log) - 4000));
    }

    private String logSince(long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, file.length() - offset)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** {@code target/postgres-fixture/} under the working directory if it is a Maven module, else {@code base}. */
    private static Path logFile(Path base) throws IOException {
        Path target = Path.of("target");
        Path directory = Files.isDirectory(target) ? target.resolve("postgres-fixture") : base.resolve("logs");
        Files.createDirectories(directory);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path log = directory.resolve(
                "postgres-" + stamp + "-" + ProcessHandle.current().pid() + ".log");
        Files.writeString(log, "", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return log.toAbsolutePath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }
}
