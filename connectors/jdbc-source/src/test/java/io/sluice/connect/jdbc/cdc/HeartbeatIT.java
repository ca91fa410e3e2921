package io.sluice.connect.jdbc.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.connector.postgresql.PostgresConnector;
import io.sluice.connect.jdbc.cdc.SlotLagProbe.SlotLag;
import io.sluice.connect.jdbc.testing.OffsetMemory;
import io.sluice.connect.jdbc.testing.SourceHarness;
import io.sluice.connect.jdbc.testing.Sql;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * An idle connector's slot must not pin the WAL that other databases on the server write. With
 * heartbeats and a heartbeat action query on a table in the publication, its
 * {@code confirmed_flush_lsn} moves past that WAL; {@link SlotLagProbe} shows the unconfirmed bytes
 * fall back. Heartbeats alone (no action query) do not: the control test shows the slot stays pinned.
 */
class HeartbeatIT {

    @Test
    void heartbeatsKeepAnIdleSlotsConfirmedFlushLsnMoving() throws Exception {
        try (TestDatabase db = PostgresFixture.shared().newDatabase();
                TestDatabase busy = PostgresFixture.shared().newDatabase()) {
            Sql sql = new Sql(db.dataSource());
            sql.run(
                    "CREATE TABLE items (id int PRIMARY KEY)",
                    "CREATE TABLE sluice_heartbeat (id int PRIMARY KEY, ts timestamptz NOT NULL)");
            SlotLagProbe probe = new SlotLagProbe(db.dataSource());
            String slot = DebeziumProps.slotName(db);
            try (SourceHarness harness = new SourceHarness(
                            new PostgresConnector(),
                            DebeziumProps.forDatabase(
                                    db,
                                    "public.items,public.sluice_heartbeat",
                                    "heartbeat.interval.ms",
                                    "300",
                                    "heartbeat.action.query",
                                    "INSERT INTO sluice_heartbeat VALUES (1, now()) "
                                            + "ON CONFLICT (id) DO UPDATE SET ts = EXCLUDED.ts"),
                            new OffsetMemory())
                    .start(1)) {
                // Streaming has begun once a heartbeat record arrived and the slot is in use.
                pollAndCommit(
                        harness,
                        r -> r.stream().anyMatch(x -> x.topic().startsWith("__debezium-heartbeat"))
                                && active(probe, slot));

                // Another database writes 4 MB of WAL; this connector's tables stay idle.
                new Sql(busy.dataSource())
                        .run(
                                "CREATE TABLE filler (id int, pad text)",
                                "INSERT INTO filler SELECT g, repeat('x', 400) FROM generate_series(1, 10000) g");
                String walAfterFiller = sql.queryString("SELECT pg_current_wal_lsn()::text");
                SlotLag pinned = probe.measure(slot).orElseThrow();
                assertThat(pinned.active()).isTrue();
                assertThat(pinned.unconfirmedBytes()).isGreaterThan(4_000_000L);

                List<SourceRecord> seen = pollAndCommit(harness, r -> {
                    try {
                        harness.commitOffsets();
                        return sql.queryLong("SELECT pg_wal_lsn_diff(confirmed_flush_lsn, '" + walAfterFiller
                                        + "') FROM pg_replication_slots WHERE slot_name = '" + slot + "'")
                                >= 0;
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(seen).noneMatch(r -> r.topic().equals("cdc.public.items"));
                SlotLag moved = probe.measure(slot).orElseThrow();
                assertThat(moved.unconfirmedBytes()).isLessThan(pinned.unconfirmedBytes() / 4);
                assertThat(probe.measure("no_such_slot")).isEmpty();
            }
        }
    }

    @Test
    void withoutTheActionQueryAnIdleSlotStaysPinnedBehindOtherDatabasesWal() throws Exception {
        try (TestDatabase db = PostgresFixture.shared().newDatabase();
                TestDatabase busy = PostgresFixture.shared().newDatabase()) {
            Sql sql = new Sql(db.dataSource());
            sql.run("CREATE TABLE items (id int PRIMARY KEY)");
            SlotLagProbe probe = new SlotLagProbe(db.dataSource());
            String slot = DebeziumProps.slotName(db);
            try (SourceHarness harness = new SourceHarness(
                            new PostgresConnector(),
                            DebeziumProps.forDatabase(db, "public.items", "heartbeat.interval.ms", "300"),
                            new OffsetMemory())
                    .start(1)) {
                pollAndCommit(
                        harness,
                        r -> r.stream().anyMatch(x -> x.topic().startsWith("__debezium-heartbeat"))
                                && active(probe, slot));
                new Sql(busy.dataSource())
                        .run(
                                "CREATE TABLE filler (id int, pad text)",
                                "INSERT INTO filler SELECT g, repeat('x', 400) FROM generate_series(1, 10000) g");
                long before = probe.measure(slot).orElseThrow().unconfirmedBytes();
                long until = System.nanoTime() + 5_000_000_000L;
                while (System.nanoTime() < until) {
                    harness.pollOnce();
                    harness.commitOffsets();
                }
                SlotLag after = probe.measure(slot).orElseThrow();
                assertThat(after.unconfirmedBytes()).isGreaterThan(4_000_000L);
            }
        }
    }

    private static boolean active(SlotLagProbe probe, String slot) {
        try {
            return probe.measure(slot).map(SlotLag::active).orElse(false);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<SourceRecord> pollAndCommit(
            SourceHarness harness, java.util.function.Predicate<List<SourceRecord>> done) throws Exception {
        List<SourceRecord> all = new ArrayList<>(harness.pollUntil(done, Duration.ofSeconds(60)));
        harness.commitOffsets();
        return all;
    }
}
