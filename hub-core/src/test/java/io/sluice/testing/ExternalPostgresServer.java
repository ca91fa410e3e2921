package io.sluice.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * A server someone else runs, named by {@value #URL_VARIABLE}. The fixture never stops it; it only
 * drops the databases it created.
 */
record ExternalPostgresServer(String host, int port, String maintenanceDatabase, String user, String password)
        implements PostgresServer {

    static final String URL_VARIABLE = "SLUICE_TEST_PG_URL";
    static final String USER_VARIABLE = "SLUICE_TEST_PG_USER";
    static final String PASSWORD_VARIABLE = "SLUICE_TEST_PG_PASSWORD";

    /** The server named by the environment, checked to be usable, or empty if none is named. */
    static Optional<ExternalPostgresServer> fromEnvironment() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        Properties parsed = Driver.parseURL(url.trim(), new Properties());
        if (parsed == null) {
            throw new IllegalStateException(URL_VARIABLE + " is not a PostgreSQL JDBC URL: " + url);
        }
        ExternalPostgresServer server = new ExternalPostgresServer(
                parsed.getProperty("PGHOST", "localhost").split(",")[0],
                Integer.parseInt(parsed.getProperty("PGPORT", "5432").split(",")[0]),
                parsed.getProperty("PGDBNAME", "postgres"),
                firstNonBlank(System.getenv(USER_VARIABLE), parsed.getProperty("user"), "postgres"),
                firstNonBlank(System.getenv(PASSWORD_VARIABLE), parsed.getProperty("password"), ""));
        server.checkUsable();
        return Optional.of(server);
    }

    @Override
    public String toString() {
        return describe() + " as " + user;
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.empty();
    }

    @Override
    public void stop() {
        // Not ours to stop.
    }

    private void checkUsable() {
        TestDatabase maintenance = new TestDatabase(host, port, maintenanceDatabase, user, password, null);
        try (Connection connection = maintenance.openConnection();
                Statement statement = connection.createStatement()) {
            String walLevel = single(statement, "SHOW wal_level");
            if (!"logical".equals(walLevel)) {
                throw new IllegalStateException(describe() + " has wal_level=" + walLevel
                        + "; the fixture needs wal_level=logical (set it in postgresql.conf and restart)");
            }
            String allowed = single(
                    statement,
                    "SELECT rolsuper OR (rolcreatedb AND rolreplication) FROM pg_roles WHERE rolname = current_user");
            if (!"t".equals(allowed)) {
                throw new IllegalStateException(
                        describe() + ": user " + user + " needs SUPERUSER, or CREATEDB and REPLICATION");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot use " + describe() + ": " + e.getMessage(), e);
        }
    }

    private String describe() {
        return "PostgreSQL at " + host + ":" + port + " (from " + URL_VARIABLE + ")";
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static String firstNonBlank(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return "";
    }
}
