package io.sluice.connect.jdbc.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.connector.postgresql.PostgresConnector;
import io.sluice.connect.jdbc.testing.OffsetMemory;
import io.sluice.connect.jdbc.testing.SourceHarness;
import io.sluice.connect.jdbc.testing.Sql;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Debezium's Postgres connector hosted as a plain Connect plugin: its connector and task driven the
 * way the hub's worker drives them, against a real PostgreSQL with pgoutput. One connector run is
 * shared by the ordered steps (Debezium starts slowly); each step asserts what it adds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresCdcIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private TestDatabase db;
    private Sql sql;
    private final OffsetMemory offsets = new OffsetMemory();
    private SourceHarness harness;

    @BeforeAll
    void startConnector() {
        db = PostgresFixture.shared().newDatabase();
        sql = new Sql(db.dataSource());
        sql.run(
                "CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL)",
                "ALTER TABLE customers REPLICA IDENTITY FULL",
                "CREATE TABLE ignored (id int PRIMARY KEY)",
                "INSERT INTO customers (name) VALUES ('ann'), ('bob'), ('cid')");
        harness = new SourceHarness(new PostgresConnector(), DebeziumProps.forDatabase(db, "public.customers"), offsets)
                .start(1);
    }

    @AfterAll
    void stopConnector() {
        if (harness != null) {
            harness.close();
        }
        db.close();
    }

    private static String op(SourceRecord record) {
        return record.value() == null ? null : ((Struct) record.value()).getString("op");
    }

    private static Struct after(SourceRecord record) {
        return ((Struct) record.value()).getStruct("after");
    }

    private static Struct before(SourceRecord record) {
        return ((Struct) record.value()).getStruct("before");
    }

    private List<SourceRecord> pollUntil(Predicate<List<SourceRecord>> done) throws InterruptedException {
        List<SourceRecord> records = harness.pollUntil(r -> done.test(changes(r)), WAIT);
        harness.commitOffsets();
        return changes(records);
    }

    /** The table's records (changes and tombstones), without heartbeats. */
    private static List<SourceRecord> changes(List<SourceRecord> records) {
        return records.stream()
                .filter(r -> r.topic().equals("cdc.public.customers"))
                .toList();
    }

    private static Predicate<List<SourceRecord>> hasOp(String op) {
        return records -> records.stream().anyMatch(r -> op.equals(op(r)));
    }

    @Test
    @Order(1)
    void initialSnapshotReadsExistingRows() throws Exception {
        List<SourceRecord> snapshot =
                pollUntil(r -> r.stream().filter(x -> "r".equals(op(x))).count() >= 3);
        assertThat(snapshot).extracting(PostgresCdcIT::op).containsOnly("r");
        assertThat(snapshot).extracting(r -> after(r).getString("name")).containsExactly("ann", "bob", "cid");
        assertThat(snapshot.get(0).topic()).isEqualTo("cdc.public.customers");

        // The metrics say "completed" just after the last snapshot record is queued.
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .until(() -> SnapshotProgress.read("cdc")
                        .map(SnapshotProgress.Reading::completed)
                        .orElse(false));
        SnapshotProgress.Reading progress = SnapshotProgress.read("cdc").orElseThrow();
        assertThat(progress.running()).isFalse();
        assertThat(progress.totalTables()).isEqualTo(1);
        assertThat(progress.remainingTables()).isZero();
        assertThat(progress.rowsScanned()).containsEntry("public.customers", 3L);
        assertThat(SnapshotProgress.read("no-such-prefix")).isEmpty();
    }

    @Test
    @Order(2)
    void streamsInsertsAndUpdatesWithBeforeImages() throws Exception {
        sql.run(
                "INSERT INTO ignored VALUES (1)",
                "INSERT INTO customers (name) VALUES ('dan')",
                "UPDATE customers SET name = 'bobby' WHERE name = 'bob'");
        List<SourceRecord> records = pollUntil(hasOp("u"));
        assertThat(records).extracting(PostgresCdcIT::op).containsExactly("c", "u");
        assertThat(after(records.get(0)).getString("name")).isEqualTo("dan");
        assertThat(before(records.get(1)).getString("name")).isEqualTo("bob");
        assertThat(after(records.get(1)).getString("name")).isEqualTo("bobby");
        assertThat(records).extracting(SourceRecord::topic).containsOnly("cdc.public.customers");
    }

    @Test
    @Order(3)
    void deletesAreFollowedByTombstones() throws Exception {
        sql.run("DELETE FROM customers WHERE name = 'ann'");
        List<SourceRecord> records = pollUntil(r -> r.size() >= 2);
        assertThat(op(records.get(0))).isEqualTo("d");
        assertThat(before(records.get(0)).getString("name")).isEqualTo("ann");
        assertThat(records.get(1).value()).isNull();
        assertThat(records.get(1).key()).isEqualTo(records.get(0).key());
    }

    @Test
    @Order(4)
    void truncatesArriveAsOpT() throws Exception {
        sql.run("TRUNCATE customers");
        List<SourceRecord> records = pollUntil(hasOp("t"));
        assertThat(records).extracting(PostgresCdcIT::op).containsExactly("t");
    }

    @Test
    @Order(5)
    void addedColumnFlowsThroughWithTheNewSchema() throws Exception {
        sql.run(
                "ALTER TABLE customers ADD COLUMN email text",
                "INSERT INTO customers (name, email) VALUES ('eve', 'eve@x.io')");
        List<SourceRecord> records = pollUntil(hasOp("c"));
        Struct after = after(records.get(records.size() - 1));
        assertThat(after.schema().field("email")).isNotNull();
        assertThat(after.getString("email")).isEqualTo("eve@x.io");
        assertThat(after.getString("name")).isEqualTo("eve");
    }

    @Test
    @Order(6)
    void restartFromStoredOffsetsResumesStreamingWithoutSnapshotOrLoss() throws Exception {
        harness.close();
        // Changes made while nothing reads the slot.
        sql.run(
                "INSERT INTO customers (name, email) VALUES ('fay', 'f@x.io')",
                "UPDATE customers SET email = 'eve@y.io' WHERE name = 'eve'",
                "INSERT INTO customers (name, email) VALUES ('gus', 'g@x.io')");
        harness = new SourceHarness(new PostgresConnector(), DebeziumProps.forDatabase(db, "public.customers"), offsets)
                .start(1);
        List<SourceRecord> records =
                pollUntil(r -> r.stream().filter(x -> op(x) != null).count() >= 3);
        records = new java.util.ArrayList<>(records);
        records.addAll(changes(harness.pollFor(Duration.ofSeconds(2))));
        assertThat(records).extracting(PostgresCdcIT::op).containsExactly("c", "u", "c");
        assertThat(records).extracting(r -> after(r).getString("name")).containsExactly("fay", "eve", "gus");
    }

    @Test
    @Order(7)
    void deletingTheConnectorDropsItsSlotAndPublicationWithReplicationCleanup() throws Exception {
        harness.close();
        harness = null;
        ReplicationCleanup cleanup = new ReplicationCleanup(db.dataSource());
        String slot = DebeziumProps.slotName(db);
        String publication = "pub_" + db.database();
        org.awaitility.Awaitility.await()
                .atMost(WAIT)
                .until(() -> sql.queryLong(
                                "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '" + slot + "'")
                        == 0);
        assertThat(sql.queryLong("SELECT count(*) FROM pg_publication_tables WHERE pubname = '" + publication + "'"))
                .as("publication.autocreate.mode=filtered publishes the included table only")
                .isEqualTo(1);

        assertThat(cleanup.dropSlotAndPublication(slot, publication))
                .isEqualTo(new ReplicationCleanup.Result(true, true));
        assertThat(sql.queryLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                .isZero();
        assertThat(sql.queryLong("SELECT count(*) FROM pg_publication WHERE pubname = '" + publication + "'"))
                .isZero();
        assertThat(cleanup.dropSlotAndPublication(slot, publication))
                .isEqualTo(new ReplicationCleanup.Result(false, false));
    }
}
