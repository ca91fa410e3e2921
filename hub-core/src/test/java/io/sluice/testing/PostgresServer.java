package io.sluice.testing;

import java.nio.file.Path;
import java.util.Optional;

/** A PostgreSQL server the fixture talks to as a superuser-like account. */
sealed interface PostgresServer permits LocalPostgresServer, ExternalPostgresServer {

    String host();

    int port();

    String user();

    String password();

    /** A database that always exists, used to create and drop the per-test databases. */
    String maintenanceDatabase();

    /** The server's log file, if the fixture started the server itself. */
    Optional<Path> logFile();

    /** Stops the server if the fixture started it; blocks until it is down. Idempotent. */
    void stop();
}
