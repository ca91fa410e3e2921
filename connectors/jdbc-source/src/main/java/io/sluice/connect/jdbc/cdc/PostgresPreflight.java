package io.sluice.connect.jdbc.cdc;

import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Checks, before a Postgres CDC connector (Debezium's) starts, what would make its task fail: the
 * server answers, the credentials are accepted, the database exists, {@code wal_level=logical}, the
 * user may replicate, the tables of {@code table.include.list} exist, and the replication slot is
 * not in use elsewhere. Each failure is reported on the setting it concerns, naming the real cause
 * (host, authentication, database, permission, missing table) and the fix; no message contains the
 * password.
 *
 * <p>Stateless; {@link #check} opens one connection (5 s connect timeout) and blocks for a few
 * queries.
 */
public final class PostgresPreflight {

    public static final String HOSTNAME = "database.hostname";
    public static final String PORT = "database.port";
    public static final String USER = "database.user";
    public static final String PASSWORD = "database.password";
    public static final String DBNAME = "database.dbname";
    public static final String TABLES = "table.include.list";
    public static final String SLOT = "slot.name";

    /** A table.include.list entry that is a plain {@code schema.table} name, not a pattern. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*\\.[A-Za-z_][A-Za-z0-9_$]*");

    private PostgresPreflight() {}

    /** Errors by setting; empty when the connector can start here. */
    public static Map<String, List<String>> check(Map<String, String> config) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String host = config.getOrDefault(HOSTNAME, "localhost");
        int port;
        try {
            port = Integer.parseInt(config.getOrDefault(PORT, "5432").trim());
        } catch (NumberFormatException e) {
            return errors; // the setting's own validation reports it
        }
        String user = config.getOrDefault(USER, "");
        String dbname = config.getOrDefault(DBNAME, "");
        String where = host + ":" + port;
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {host});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(dbname);
        ds.setUser(user);
        ds.setPassword(config.getOrDefault(PASSWORD, ""));
        ds.setConnectTimeout(5);
        ds.setLoginTimeout(10);
        ds.setSocketTimeout(15);
        ds.setApplicationName("sluice-preflight");
        try (Connection c = ds.getConnection()) {
            checkWalLevel(c, where, errors);
            checkReplication(c, user, errors);
            checkTables(c, config.getOrDefault(TABLES, ""), dbname, user, errors);
            checkSlot(c, config.get(SLOT), dbname, errors);
        } catch (SQLException e) {
            connectionError(e, where, user, dbname, errors);
        }
        return errors;
    }

    private static void connectionError(
            SQLException e, String where, String user, String dbname, Map<String, List<String>> errors) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        switch (state) {
            case "28P01" ->
                add(
                        errors,
                        PASSWORD,
                        "PostgreSQL at " + where + " refused the password of user '" + user
                                + "' (authentication failed): set database.password to that user's password");
            case "28000" ->
                add(
                        errors,
                        USER,
                        "PostgreSQL at " + where + " does not let user '" + user + "' connect to database '" + dbname
                                + "' (" + firstLine(e) + "): fix database.user, or allow it in pg_hba.conf");
            case "3D000" ->
                add(errors, DBNAME, "database '" + dbname + "' does not exist on " + where + ": fix database.dbname");
            case "42501" ->
                add(
                        errors,
                        USER,
                        "user '" + user + "' may not connect to database '" + dbname + "' (" + firstLine(e)
                                + "): GRANT CONNECT ON DATABASE " + dbname + " TO " + user);
            default -> {
                if (hasCause(e, UnknownHostException.class)) {
                    add(errors, HOSTNAME, "unknown host in " + where + ": fix database.hostname");
                } else if (state.startsWith("08")) {
                    add(
                            errors,
                            HOSTNAME,
                            "cannot connect to PostgreSQL at " + where + " (" + firstLine(e) + "): check"
                                    + " database.hostname and database.port, and that the server runs and"
                                    + " accepts TCP connections there");
                } else {
                    add(errors, HOSTNAME, "checking PostgreSQL at " + where + " failed: " + firstLine(e));
                }
            }
        }
    }

    private static void checkWalLevel(Connection c, String where, Map<String, List<String>> errors)
            throws SQLException {
        String level = single(c, "SHOW wal_level");
        if (!"logical".equals(level)) {
            add(
                    errors,
                    HOSTNAME,
                    "the PostgreSQL server at " + where + " has wal_level=" + level + "; change data capture"
                            + " needs wal_level=logical: run ALTER SYSTEM SET wal_level = logical (or set it in"
                            + " postgresql.conf) and restart the server");
        }
    }

    private static void checkReplication(Connection c, String user, Map<String, List<String>> errors)
            throws SQLException {
        String may = single(c, "SELECT (rolsuper OR rolreplication)::text FROM pg_roles WHERE rolname = current_user");
        if (!"true".equals(may)) {
            add(
                    errors,
                    USER,
                    "user '" + user + "' may not use logical replication: ALTER ROLE " + user
                            + " REPLICATION (or connect as a role that has it)");
        }
    }

    private static void checkTables(
            Connection c, String list, String dbname, String user, Map<String, List<String>> errors)
            throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String entry : list.split(",")) {
            String name = entry.trim();
            if (!PLAIN_NAME.matcher(name).matches()) {
                continue; // a pattern: what it matches is Debezium's business
            }
            int dot = name.indexOf('.');
            try (PreparedStatement s =
                    c.prepareStatement("SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = ? AND tablename = ?")) {
                s.setString(1, name.substring(0, dot));
                s.setString(2, name.substring(dot + 1));
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        missing.add(name);
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            add(
                    errors,
                    TABLES,
                    (missing.size() == 1 ? "table " : "tables ") + String.join(", ", missing) + " not found in"
                            + " database '" + dbname + "': create " + (missing.size() == 1 ? "it" : "them")
                            + " or fix table.include.list (schema.table, case-sensitive)");
        }
    }

    private static void checkSlot(Connection c, String slot, String dbname, Map<String, List<String>> errors)
            throws SQLException {
        if (slot == null || slot.isBlank()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT plugin, database, active, active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
            s.setString(1, slot.trim());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return; // created by the connector
                }
                String plugin = rs.getString(1);
                String database = rs.getString(2);
                if (database != null && !database.equals(dbname)) {
                    add(
                            errors,
                            SLOT,
                            "replication slot '" + slot + "' belongs to database '" + database
                                    + "': choose another slot.name");
                } else if (plugin != null && !plugin.equals("pgoutput") && !plugin.equals("decoderbufs")) {
                    add(
                            errors,
                            SLOT,
                            "replication slot '" + slot + "' decodes with '" + plugin
                                    + "': choose another slot.name or drop that slot");
                } else if (rs.getBoolean(3)) {
                    add(
                            errors,
                            SLOT,
                            "replication slot '" + slot + "' is in use by another client (pid " + rs.getInt(4)
                                    + "): stop it or choose another slot.name");
                }
            }
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void add(Map<String, List<String>> errors, String field, String message) {
        errors.computeIfAbsent(field, k -> new ArrayList<>()).add(message);
    }
}
