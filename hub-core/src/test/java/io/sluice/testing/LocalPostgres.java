package io.sluice.testing;

import java.nio.file.Path;

/**
 * A private PostgreSQL server started from the same binaries and in the same way as the test
 * fixture's ({@code wal_level=logical}, bound to 127.0.0.1, run as an unprivileged account when this
 * JVM is root, a parent-death signal so it stops with the JVM), for tools that want one server of
 * their own with a known lifecycle, such as the demo. Unlike {@link PostgresFixture} it never uses
 * {@code SLUICE_TEST_PG_URL}, registers no shutdown hook and hands out no databases: the caller
 * creates what it needs as {@link #superuser()} and calls {@link #close()}.
 *
 * <p>{@link #start} blocks until the server accepts connections (about a second, plus a one-time
 * unpacking of the binaries into a cache shared with the tests). {@link #close()} does a fast
 * shutdown and deletes the server's data; it is idempotent. Thread-safe.
 */
public final class LocalPostgres implements AutoCloseable {

    private final LocalPostgresServer server;

    private LocalPostgres(LocalPostgresServer server) {
        this.server = server;
    }

    /**
     * Starts a server.
     *
     * @param logFile where the server's output is appended (created if missing)
     * @param port the port to listen on, or 0 for a free one
     * @throws IllegalStateException if the server cannot start, naming the reason (port in use, ...)
     */
    public static LocalPostgres start(Path logFile, int port) {
        return new LocalPostgres(LocalPostgresServer.start(logFile, port));
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    /** The superuser's name. */
    public String superuser() {
        return server.user();
    }

    /** The superuser's password, random for each server. */
    public String password() {
        return server.password();
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** Stops the server (fast shutdown) and deletes its data directory; blocks until done. */
    @Override
    public void close() {
        server.stop();
    }

    @Override
    public String toString() {
        return server.toString();
    }
}
