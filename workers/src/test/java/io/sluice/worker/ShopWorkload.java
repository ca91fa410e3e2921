package io.sluice.worker;

import io.sluice.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A shop in PostgreSQL that keeps changing, for CDC tests: {@code customers} and {@code orders}
 * (REPLICA IDENTITY FULL, so deletes carry the whole row) get inserts, updates and deletes, one
 * transaction per change, at a steady pace on a thread of its own. Every change is written to
 * {@code journal} in the same transaction as the change itself ({@code op} {@code r} for a seed row,
 * {@code c}, {@code u}, {@code d}; {@code version} is the row's version after the change, or the
 * version it had when deleted), so the journal, read in {@code seq} order, is the committed changes in
 * commit order: the truth a sink's output is compared with. The journal itself is not captured.
 *
 * <p>{@link #create} sets up the tables; {@link #start} runs a workload on its own thread until
 * {@link #stop}. One thread per instance; {@link #changes()} and {@link #failure()} may be read from
 * any thread.
 */
final class ShopWorkload {

    static final List<String> TABLES = List.of("customers", "orders");
    private static final int SEED_ROWS = 20;
    private static final String[] CITIES = {"Lisbon", "Oslo", "Lyon", "Turin", "Gdansk"};
    private static final String[] STATUSES = {"paid", "packed", "shipped", "delivered"};

    /** One change as the journal records it and as a flattened CDC row shows it. */
    record Change(String table, String op, int id, int version) {}

    private final TestDatabase db;
    private final long intervalNanos;
    private final boolean insertsOnly;
    private final Random random = new Random();
    private final AtomicLong changes = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    private ShopWorkload(TestDatabase db, int changesPerSecond, boolean insertsOnly) {
        this.db = db;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / changesPerSecond;
        this.insertsOnly = insertsOnly;
        this.thread = new Thread(this::run, "shop-workload");
        this.thread.setDaemon(true);
    }

    /** Creates the tables, the journal and {@value #SEED_ROWS} seed rows per table (journalled as {@code r}). */
    static void create(TestDatabase db) throws SQLException {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id SERIAL PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,"
                    + " version INT NOT NULL DEFAULT 1)");
            s.execute("CREATE TABLE orders (id SERIAL PRIMARY KEY, customer_id INT NOT NULL, amount INT NOT NULL,"
                    + " status TEXT NOT NULL, version INT NOT NULL DEFAULT 1)");
            s.execute("ALTER TABLE customers REPLICA IDENTITY FULL");
            s.execute("ALTER TABLE orders REPLICA IDENTITY FULL");
            s.execute("CREATE TABLE journal (seq BIGSERIAL PRIMARY KEY, table_name TEXT NOT NULL,"
                    + " op CHAR(1) NOT NULL, row_id INT NOT NULL, version INT NOT NULL)");
            s.execute("INSERT INTO customers (name, city) SELECT 'customer ' || i, 'Lisbon'"
                    + " FROM generate_series(1, " + SEED_ROWS + ") i");
            s.execute("INSERT INTO orders (customer_id, amount, status) SELECT i, 100 * i, 'placed'"
                    + " FROM generate_series(1, " + SEED_ROWS + ") i");
            for (String table : TABLES) {
                s.execute("INSERT INTO journal (table_name, op, row_id, version) SELECT '" + table
                        + "', 'r', id, version FROM " + table + " ORDER BY id");
            }
        }
    }

    /**
     * Starts changing rows at {@code changesPerSecond}: inserts, updates and deletes on both tables,
     * or, with {@code insertsOnly}, only inserts of new rows (which touch no existing key).
     */
    static ShopWorkload start(TestDatabase db, int changesPerSecond, boolean insertsOnly) {
        ShopWorkload w = new ShopWorkload(db, changesPerSecond, insertsOnly);
        w.thread.start();
        return w;
    }

    /** Stops after the change in progress; blocks until the thread has ended. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (thread.isAlive()) {
            throw new IllegalStateException("the workload did not stop within 30 s");
        }
    }

    /** Changes committed so far. */
    long changes() {
        return changes.get();
    }

    /** Why the workload stopped on its own, if it did. */
    Exception failure() {
        return failure;
    }

    /** The journal by {@code seq}: every committed change in commit order. */
    static Map<Long, Change> journal(TestDatabase db) throws SQLException {
        Map<Long, Change> out = new java.util.LinkedHashMap<>();
        try (Connection c = db.openConnection();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT seq, table_name, op, row_id, version FROM journal ORDER BY seq")) {
            while (rs.next()) {
                out.put(rs.getLong(1), new Change(rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5)));
            }
        }
        return out;
    }

    private void run() {
        try (Connection c = db.openConnection()) {
            c.setAutoCommit(false);
            Map<String, List<Integer>> ids = new HashMap<>();
            for (String table : TABLES) {
                ids.put(table, ids(c, table));
            }
            long next = System.nanoTime();
            while (running) {
                String table = TABLES.get(random.nextInt(TABLES.size()));
                change(c, table, ids.get(table));
                c.commit();
                changes.incrementAndGet();
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime();
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        }
    }

    /** Makes one change in {@code table} and journals it, in the open transaction. */
    private void change(Connection c, String table, List<Integer> ids) throws SQLException {
        int dice = random.nextInt(100);
        if (insertsOnly || ids.size() < SEED_ROWS / 2 || dice < 40) {
            int id = insert(c, table);
            ids.add(id);
            journal(c, table, 'c', id, 1);
        } else if (dice < 85) {
            int id = ids.get(random.nextInt(ids.size()));
            journal(c, table, 'u', id, update(c, table, id));
        } else {
            int id = ids.remove(random.nextInt(ids.size()));
            journal(c, table, 'd', id, delete(c, table, id));
        }
    }

    private int insert(Connection c, String table) throws SQLException {
        String sql = table.equals("customers")
                ? "INSERT INTO customers (name, city) VALUES ('customer ' || ?, ?) RETURNING id"
                : "INSERT INTO orders (customer_id, amount, status) VALUES (?, ?, 'placed') RETURNING id";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (table.equals("customers")) {
                s.setInt(1, random.nextInt(10_000));
                s.setString(2, CITIES[random.nextInt(CITIES.length)]);
            } else {
                s.setInt(1, 1 + random.nextInt(SEED_ROWS));
                s.setInt(2, 100 + random.nextInt(50_000));
            }
            return single(s);
        }
    }

    /** Changes a column and bumps the version; returns the new version. */
    private int update(Connection c, String table, int id) throws SQLException {
        String sql = table.equals("customers")
                ? "UPDATE customers SET city = ?, version = version + 1 WHERE id = ? RETURNING version"
                : "UPDATE orders SET status = ?, version = version + 1 WHERE id = ? RETURNING version";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(
                    1,
                    table.equals("customers")
                            ? CITIES[random.nextInt(CITIES.length)]
                            : STATUSES[random.nextInt(STATUSES.length)]);
            s.setInt(2, id);
            return single(s);
        }
    }

    /** Deletes a row; returns the version it had. */
    private static int delete(Connection c, String table, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE id = ? RETURNING version")) {
            s.setInt(1, id);
            return single(s);
        }
    }

    private static void journal(Connection c, String table, char op, int id, int version) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("INSERT INTO journal (table_name, op, row_id, version) VALUES (?, ?, ?, ?)")) {
            s.setString(1, table);
            s.setString(2, String.valueOf(op));
            s.setInt(3, id);
            s.setInt(4, version);
            s.executeUpdate();
        }
    }

    private static int single(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<Integer> ids(Connection c, String table) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }
}
