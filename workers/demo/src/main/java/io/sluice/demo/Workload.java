package io.sluice.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A shop that keeps changing: one transaction per change, at a steady pace, on its own thread.
 * Orders are placed (insert), move through their statuses (update) and some are cancelled (delete);
 * now and then a customer signs up or moves. Each change is journaled in the same transaction
 * ({@link ShopDatabase}).
 *
 * <p>{@link #start()} and {@link #stop()} are called once each; the counters are read from any
 * thread.
 */
final class Workload {

    private static final String[] STATUSES = {"placed", "paid", "packed", "shipped", "delivered"};
    private static final String[] CITIES = {"Lisbon", "Oslo", "Lyon", "Turin", "Gdansk", "Porto", "Bergen"};

    private final ShopDatabase db;
    private final long intervalNanos;
    private final Random random = new Random();
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    Workload(ShopDatabase db, int changesPerSecond) {
        this.db = db;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / changesPerSecond;
        this.thread = new Thread(this::run, "demo-workload");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops after the change in progress, if any; blocks until the thread is done. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    long inserts() {
        return inserts.get();
    }

    long updates() {
        return updates.get();
    }

    long deletes() {
        return deletes.get();
    }

    long changes() {
        return inserts() + updates() + deletes();
    }

    /** Why the workload stopped on its own, if it did. */
    Exception failure() {
        return failure;
    }

    private void run() {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            List<Integer> customers = ids(c, "customers");
            List<Integer> orders = ids(c, "orders");
            long next = System.nanoTime();
            while (running) {
                char op = change(c, customers, orders);
                c.commit();
                (op == 'c' ? inserts : op == 'u' ? updates : deletes).incrementAndGet();
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    next = System.nanoTime();
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (running) {
                failure = e;
            }
        }
    }

    /** Makes one change (not committed) and journals it; returns its kind: c, u or d. */
    private char change(Connection c, List<Integer> customers, List<Integer> orders) throws SQLException {
        int dice = random.nextInt(100);
        if (orders.size() < 10 || dice < 40) {
            int id = insertOrder(c, customers.get(random.nextInt(customers.size())));
            orders.add(id);
            journal(c, "orders", 'c', id, 1);
            return 'c';
        } else if (dice < 80) {
            int id = orders.get(random.nextInt(orders.size()));
            journal(c, "orders", 'u', id, update(c, "orders", "status", STATUSES[random.nextInt(STATUSES.length)], id));
            return 'u';
        } else if (dice < 92) {
            int id = orders.remove(random.nextInt(orders.size()));
            journal(c, "orders", 'd', id, delete(c, id));
            return 'd';
        } else if (dice < 96) {
            int id = insertCustomer(c);
            customers.add(id);
            journal(c, "customers", 'c', id, 1);
            return 'c';
        } else {
            int id = customers.get(random.nextInt(customers.size()));
            journal(c, "customers", 'u', id, update(c, "customers", "city", CITIES[random.nextInt(CITIES.length)], id));
            return 'u';
        }
    }

    private int insertOrder(Connection c, int customer) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO orders (customer_id, amount, status) VALUES (?, ?, 'placed') RETURNING id")) {
            s.setInt(1, customer);
            s.setBigDecimal(2, java.math.BigDecimal.valueOf(500 + random.nextInt(50_000), 2));
            return single(s);
        }
    }

    private int insertCustomer(Connection c) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("INSERT INTO customers (name, city) VALUES (?, ?) RETURNING id")) {
            s.setString(1, "customer " + (1000 + random.nextInt(9000)));
            s.setString(2, CITIES[random.nextInt(CITIES.length)]);
            return single(s);
        }
    }

    /** Sets {@code column} and bumps the version; returns the new version. */
    private static int update(Connection c, String table, String column, String value, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + table + " SET " + column
                + " = ?, version = version + 1, updated_at = now() WHERE id = ? RETURNING version")) {
            s.setString(1, value);
            s.setInt(2, id);
            return single(s);
        }
    }

    /** Deletes an order; returns the version it had. */
    private static int delete(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM orders WHERE id = ? RETURNING version")) {
            s.setInt(1, id);
            return single(s);
        }
    }

    private static void journal(Connection c, String table, char op, int id, int version) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("INSERT INTO demo_journal (table_name, op, row_id, version) VALUES (?, ?, ?, ?)")) {
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
