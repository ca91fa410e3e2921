package io.sluice.testing;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One database on the fixture's server, created for one test (or test class) and used by nobody
 * else.
 *
 * <p>Immutable and thread-safe: {@link #openConnection()} and {@link #dataSource()} open a new
 * physical connection per call (no pool), which the caller closes. The user is a superuser (or has
 * CREATEDB and REPLICATION on an external server), so tests can create publications and
 * replication slots.
 *
 * <p>Replication slots are server-wide, unlike tables and publications: name them after
 * {@link #database()} (which is unique on the server) so parallel tests do not collide.
 *
 * <p>{@link #close()} drops the database and its replication slots; it is idempotent and optional
 * (the fixture drops what is left when the JVM exits).
 */
public final class TestDatabase implements AutoCloseable {

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final PostgresFixture owner;
    private final PGSimpleDataSource dataSource;

    TestDatabase(String host, int port, String database, String user, String password, PostgresFixture owner) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.owner = owner;
        this.dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setConnectTimeout(10);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** {@code jdbc:postgresql://host:port/database}, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** A non-pooling data source for this database with the credentials set. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Opens a new connection (autocommit on); the caller closes it. */
    public Connection openConnection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Drops the database and its replication slots, ending sessions still connected to it. */
    @Override
    public void close() {
        if (owner != null) {
            owner.drop(this);
        }
    }

    @Override
    public String toString() {
        return jdbcUrl() + " (user " + user + ")";
    }
}
