package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

/** Specifies what connectors can rely on from {@link PostgresFixture}. */
class PostgresFixtureIT {

    private final List<TestDatabase> databases = new ArrayList<>();

    private PostgresFixture fixture;
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        fixture = PostgresFixture.shared();
        db = newDatabase();
    }

    @AfterEach
    void dropDatabases() {
        databases.forEach(TestDatabase::close);
    }

    @Test
    void shouldRunServerWithLogicalDecodingEnabled() throws SQLException {
        try (Connection c = db.openConnection()) {
            assertThat(query(c, "SHOW wal_level")).containsExactly("logical");
            assertThat(Integer.parseInt(query(c, "SHOW max_replication_slots").get(0)))
                    .isGreaterThanOrEqualTo(10);
            assertThat(Integer.parseInt(query(c, "SHOW max_wal_senders").get(0)))
                    .isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void shouldStartOwnServerOnLoopbackOnlyWithLogInAFile() throws Exception {
        assumeTrue(
                fixture.serverLog().isPresent(), "an external server (SLUICE_TEST_PG_URL) is configured by its owner");
        assertThat(db.host()).isEqualTo("127.0.0.1");
        assertThat(db.port()).isNotEqualTo(5432);
        try (Connection c = db.openConnection()) {
            assertThat(query(c, "SHOW listen_addresses")).containsExactly("127.0.0.1");
            assertThat(query(c, "SHOW server_version_num").get(0)).startsWith("16");
        }
        assertThat(Files.readString(fixture.serverLog().get())).contains("Success.");
    }

    @Test
    void shouldCreateTableInsertAndSelect() throws SQLException {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE greeting (id int PRIMARY KEY, text text NOT NULL)");
            s.execute("INSERT INTO greeting VALUES (1, 'hello'), (2, 'world')");

            assertThat(query(c, "SELECT text FROM greeting ORDER BY id")).containsExactly("hello", "world");
        }
    }

    @Test
    void shouldDecodeInsertUpdateDeleteWithPgoutput() throws SQLException {
        String slot = db.database() + "_slot";
        try (Connection c = db.openConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id int PRIMARY KEY, name text)");
            s.execute("CREATE PUBLICATION items FOR TABLE item");
            s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            s.execute("INSERT INTO item VALUES (1, 'alpha')");
            s.execute("UPDATE item SET name = 'beta' WHERE id = 1");
            s.execute("DELETE FROM item WHERE id = 1");

            List<PgoutputMessage> changes = peekChanges(c, slot, "items");

            assertThat(changes)
                    .extracting(PgoutputMessage::type)
                    .containsExactly('B', 'R', 'I', 'C', 'B', 'U', 'C', 'B', 'D', 'C');
            assertThat(changes.get(2).tuple()).containsExactly("1", "alpha");
            assertThat(changes.get(5).tuple()).containsExactly("1", "beta");
            assertThat(changes.get(8).tuple()).startsWith("1");
        }
    }

    @Test
    void shouldStreamChangesOverTheReplicationProtocol() throws Exception {
        String slot = db.database() + "_stream";
        try (Connection c = db.openConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id int PRIMARY KEY, name text)");
            s.execute("CREATE PUBLICATION items FOR TABLE item");
            s.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            s.execute("INSERT INTO item VALUES (7, 'streamed')");
        }

        List<PgoutputMessage> received = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (Connection replication = openReplicationConnection();
                    PGReplicationStream stream = replication
                            .unwrap(PGConnection.class)
                            .getReplicationAPI()
                            .replicationStream()
                            .logical()
                            .withSlotName(slot)
                            .withSlotOption("proto_version", 1)
                            .withSlotOption("publication_names", "items")
                            .start()) {
                List<PgoutputMessage> messages = new ArrayList<>();
                while (messages.isEmpty() || messages.get(messages.size() - 1).type() != 'C') {
                    messages.add(PgoutputMessage.parse(remaining(stream.read())));
                }
                return messages;
            }
        });

        assertThat(received).extracting(PgoutputMessage::type).containsExactly('B', 'R', 'I', 'C');
        assertThat(received.get(2).tuple()).containsExactly("7", "streamed");
    }

    @Test
    void shouldGiveEachNewDatabaseItsOwnCatalog() throws SQLException {
        TestDatabase other = newDatabase();
        assertThat(other.database()).isNotEqualTo(db.database());

        try (Connection first = db.openConnection();
                Connection second = other.openConnection();
                Statement s1 = first.createStatement();
                Statement s2 = second.createStatement()) {
            s1.execute("CREATE TABLE shared_name (id int)");
            s1.execute("INSERT INTO shared_name VALUES (1), (2)");
            s1.execute("CREATE PUBLICATION pub FOR ALL TABLES");

            assertThat(query(second, "SELECT current_database()")).containsExactly(other.database());
            assertThat(query(second, "SELECT count(*) FROM pg_publication")).containsExactly("0");
            assertThat(query(second, "SELECT to_regclass('public.shared_name') IS NULL"))
                    .containsExactly("t");
            s2.execute("CREATE TABLE shared_name (id int)");
            assertThat(query(second, "SELECT count(*) FROM shared_name")).containsExactly("0");
            assertThat(query(first, "SELECT count(*) FROM shared_name")).containsExactly("2");
        }
    }

    @Test
    void shouldDropDatabaseAndItsSlotsOnClose() throws SQLException {
        TestDatabase doomed = newDatabase();
        try (Connection c = doomed.openConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_create_logical_replication_slot('" + doomed.database() + "_slot', 'pgoutput')");
        }

        doomed.close();

        try (Connection c = db.openConnection();
                PreparedStatement databases =
                        c.prepareStatement("SELECT (SELECT count(*) FROM pg_database WHERE datname = ?)"
                                + " + (SELECT count(*) FROM pg_replication_slots WHERE database = ?)")) {
            databases.setString(1, doomed.database());
            databases.setString(2, doomed.database());
            try (ResultSet rows = databases.executeQuery()) {
                rows.next();
                assertThat(rows.getInt(1)).isZero();
            }
        }
    }

    private TestDatabase newDatabase() {
        TestDatabase database = fixture.newDatabase();
        databases.add(database);
        return database;
    }

    private Connection openReplicationConnection() throws SQLException {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, db.user());
        PGProperty.PASSWORD.set(properties, db.password());
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        return DriverManager.getConnection(db.jdbcUrl(), properties);
    }

    private static List<PgoutputMessage> peekChanges(Connection c, String slot, String publication)
            throws SQLException {
        try (PreparedStatement peek = c.prepareStatement("SELECT data FROM pg_logical_slot_peek_binary_changes("
                + "?, NULL, NULL, 'proto_version', '1', 'publication_names', ?)")) {
            peek.setString(1, slot);
            peek.setString(2, publication);
            List<PgoutputMessage> messages = new ArrayList<>();
            try (ResultSet rows = peek.executeQuery()) {
                while (rows.next()) {
                    messages.add(PgoutputMessage.parse(rows.getBytes(1)));
                }
            }
            return messages;
        }
    }

    private static List<String> query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static byte[] remaining(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /**
     * The type of a pgoutput (protocol 1) message and, for I/U/D, the text values of its last tuple
     * (the new row; for D the key), nulls included.
     */
    private record PgoutputMessage(char type, List<String> tuple) {

        static PgoutputMessage parse(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            char type = (char) in.get();
            if (type != 'I' && type != 'U' && type != 'D') {
                return new PgoutputMessage(type, List.of());
            }
            in.getInt(); // relation id
            List<String> tuple = readTuple(in);
            while (in.hasRemaining()) { // U may carry the old key ('K'/'O') before the new row ('N')
                tuple = readTuple(in);
            }
            return new PgoutputMessage(type, tuple);
        }

        private static List<String> readTuple(ByteBuffer in) {
            in.get(); // 'N', 'K' or 'O'
            int columns = in.getShort();
            List<String> values = new ArrayList<>();
            for (int i = 0; i < columns; i++) {
                char kind = (char) in.get();
                if (kind == 't') {
                    byte[] value = new byte[in.getInt()];
                    in.get(value);
                    values.add(new String(value, StandardCharsets.UTF_8));
                } else {
                    values.add(null); // 'n' null or 'u' unchanged TOAST value
                }
            }
            return values;
        }
    }
}
