package io.sluice.worker.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB server with the binary log on (row format), started from the machine's {@code
 * mariadbd} with its own data folder on a free 127.0.0.1 port, for CDC tests. SQL runs through the
 * {@code mariadb} client. {@link #close()} stops the server. Not thread-safe.
 */
final class MariaDbFixture implements AutoCloseable {

    /** The server's superuser, without a password: the server listens on 127.0.0.1 only. */
    static final String USER = "root";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final Process server;

    private MariaDbFixture(Path dir, int port, Process server) {
        this.dir = dir;
        this.port = port;
        this.server = server;
    }

    /** Whether the machine has the MariaDB server binaries this fixture runs. */
    static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/mariadbd"))
                && Files.isExecutable(Path.of("/usr/bin/mariadb-install-db"));
    }

    static MariaDbFixture start(Path dir) throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        run(
                List.of(
                        "mariadb-install-db",
                        "--no-defaults",
                        "--datadir=" + data,
                        "--auth-root-authentication-method=normal",
                        "--skip-test-db",
                        "--user=" + System.getProperty("user.name")),
                dir.resolve("install.log"));
        int port = freePort();
        Process server = new ProcessBuilder(
                        "/usr/sbin/mariadbd",
                        "--no-defaults",
                        "--datadir=" + data,
                        "--port=" + port,
                        "--bind-address=127.0.0.1",
                        "--socket=" + dir.resolve("mariadb.sock"),
                        "--pid-file=" + dir.resolve("mariadb.pid"),
                        "--user=" + System.getProperty("user.name"),
                        "--log-bin=" + data.resolve("binlog"),
                        "--binlog-format=ROW",
                        "--binlog-row-image=FULL",
                        "--server-id=1",
                        "--skip-name-resolve",
                        "--innodb-buffer-pool-size=32M")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        MariaDbFixture fixture = new MariaDbFixture(dir, port, server);
        fixture.awaitReady();
        return fixture;
    }

    int port() {
        return port;
    }

    /** Runs SQL statements and returns the client's tab-separated output without headers. */
    String sql(String statements) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "mariadb", "--no-defaults", "-h127.0.0.1", "-P" + port, "-u" + USER, "--batch", "--skip-column-names"));
        command.addAll(List.of("-e", statements));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("mariadb failed: " + out);
        }
        return out.strip();
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            if (!server.isAlive()) {
                throw new IllegalStateException("mariadbd exited: " + Files.readString(dir.resolve("server.log")));
            }
            try {
                sql("SELECT 1");
                return;
            } catch (IllegalStateException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "mariadbd did not accept connections within " + START_TIMEOUT, notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    private static void run(List<String> command, Path logFile) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " failed: " + Files.readString(logFile));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }
}
