package io.sluice.demo;

import io.sluice.testing.LocalPostgres;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * The sample database on the embedded PostgreSQL: a {@code shop} database owned by a login role
 * {@code sluice} with the REPLICATION attribute (what a CDC connector needs, no superuser), with
 * {@code customers} and {@code orders} (REPLICA IDENTITY FULL, so deletes carry the whole row) and a
 * few seed rows that reach the lake through the connector's initial snapshot.
 *
 * <p>{@code demo_journal} records every change the demo makes, in commit order, in the same
 * transaction as the change ({@code op}: {@code r} for a seed row, {@code c}, {@code u}, {@code d}),
 * with the row's {@code version} after the change. It is not captured: it is the ground truth to
 * compare the lake with.
 */
final class ShopDatabase {

    static final String NAME = "shop";
    static final String USER = "sluice";
    static final int SEED_CUSTOMERS = 5;
    static final int SEED_ORDERS = 20;

    private final LocalPostgres server;
    private final String password;

    private ShopDatabase(LocalPostgres server, String password) {
        this.server = server;
        this.password = password;
    }

    /** Creates the role, the database, the tables and the seed rows. */
    static ShopDatabase create(LocalPostgres server) throws SQLException {
        byte[] random = new byte[9];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        try (Connection admin =
                        DriverManager.getConnection(server.jdbcUrl("postgres"), server.superuser(), server.password());
                Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN REPLICATION PASSWORD '" + password + "'");
            s.execute("CREATE DATABASE " + NAME + " OWNER " + USER);
        }
        ShopDatabase db = new ShopDatabase(server, password);
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id SERIAL PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,"
                    + " version INT NOT NULL DEFAULT 1, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            s.execute("CREATE TABLE orders (id SERIAL PRIMARY KEY, customer_id INT NOT NULL REFERENCES customers,"
                    + " amount NUMERIC(10,2) NOT NULL, status TEXT NOT NULL, version INT NOT NULL DEFAULT 1,"
                    + " updated_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            s.execute("ALTER TABLE customers REPLICA IDENTITY FULL");
            s.execute("ALTER TABLE orders REPLICA IDENTITY FULL");
            s.execute("CREATE TABLE demo_journal (seq BIGSERIAL PRIMARY KEY, table_name TEXT NOT NULL,"
                    + " op CHAR(1) NOT NULL, row_id INT NOT NULL, version INT NOT NULL,"
                    + " committed_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            s.execute("INSERT INTO customers (name, city) SELECT 'customer ' || i,"
                    + " (ARRAY['Lisbon','Oslo','Lyon','Turin','Gdansk'])[i] FROM generate_series(1, " + SEED_CUSTOMERS
                    + ") i");
            s.execute("INSERT INTO orders (customer_id, amount, status) SELECT 1 + i % " + SEED_CUSTOMERS
                    + ", round((10 + i * 7.35)::numeric, 2), 'placed' FROM generate_series(1, " + SEED_ORDERS + ") i");
            s.execute("INSERT INTO demo_journal (table_name, op, row_id, version)"
                    + " SELECT 'customers', 'r', id, version FROM customers ORDER BY id");
            s.execute("INSERT INTO demo_journal (table_name, op, row_id, version)"
                    + " SELECT 'orders', 'r', id, version FROM orders ORDER BY id");
        }
        return db;
    }

    DemoPipeline.Database coordinates() {
        return new DemoPipeline.Database(server.host(), server.port(), NAME, USER, password);
    }

    String jdbcUrl() {
        return server.jdbcUrl(NAME);
    }

    String password() {
        return password;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, password);
    }
}
