package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.PartitionLog;
import io.sluice.log.StoredRecord;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debezium's stock Postgres connector hosted by the worker, end to end into the log: snapshot, then
 * inserts, updates with before-images, deletes with tombstones, an added column; a restarted worker
 * resumes from the offsets it stored in the hub's offsets topic, with no re-snapshot and no lost change.
 */
class CdcPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldStreamSnapshotAndChangesIntoTheLogAndResumeAfterARestart() throws Exception {
        try (TestDatabase db = PostgresFixture.shared().newDatabase()) {
            sql(
                    db,
                    "CREATE TABLE customers (id INT PRIMARY KEY, name TEXT NOT NULL)",
                    "ALTER TABLE customers REPLICA IDENTITY FULL",
                    "INSERT INTO customers VALUES (1, 'ada'), (2, 'grace')",
                    "ANALYZE customers");
            String topic = "shop.public.customers";
            Map<String, String> config = debezium(db);
            try (TestWorker worker = TestWorker.start(dir)) {
                worker.connectors().createConnector("cdc", config, TargetState.STARTED);
                awaitEvents(worker.log(), topic, 2);
                io.sluice.core.hub.HubQueries hub = worker.bean(io.sluice.core.hub.HubQueries.class);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> hub.snapshot("cdc")
                                .map(io.sluice.core.hub.SnapshotInfo::completed)
                                .orElse(false));
                io.sluice.core.hub.SnapshotInfo snapshot = hub.snapshot("cdc").orElseThrow();
                assertThat(snapshot.totalTables()).isEqualTo(1);
                assertThat(snapshot.remainingTables()).isZero();
                assertThat(snapshot.rowsTotal()).isEqualTo(2);
                assertThat(snapshot.rowsEstimated())
                        .as("estimate from the table's statistics")
                        .isEqualTo(Map.of("public.customers", 2L));
                var response = java.net.http.HttpClient.newHttpClient()
                        .send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                                "http://127.0.0.1:" + worker.port() + "/hub/connectors/cdc/snapshot"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                JsonNode rest = JSON.readTree(response.body());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(rest.get("completed").asBoolean()).isTrue();
                assertThat(rest.get("tables_done").asInt()).isEqualTo(1);
                assertThat(rest.get("tables_total").asInt()).isEqualTo(1);
                assertThat(rest.get("rows_scanned").asLong()).isEqualTo(2);
                assertThat(rest.get("rows_estimated").asLong()).isEqualTo(2);
                sql(
                        db,
                        "INSERT INTO customers VALUES (3, 'linus')",
                        "UPDATE customers SET name = 'ada lovelace' WHERE id = 1",
                        "DELETE FROM customers WHERE id = 2",
                        "ALTER TABLE customers ADD COLUMN email TEXT",
                        "INSERT INTO customers VALUES (4, 'barbara', 'b@example.com')",
                        "TRUNCATE customers",
                        "INSERT INTO customers VALUES (4, 'barbara', 'b@example.com')");
                List<Event> events = awaitEvents(worker.log(), topic, 9);
                assertThat(events).extracting(Event::op).containsExactly("r", "r", "c", "u", "d", null, "c", "t", "c");
                Event update = events.get(3);
                assertThat(update.value().at("/payload/before/name").asText()).isEqualTo("ada");
                assertThat(update.value().at("/payload/after/name").asText()).isEqualTo("ada lovelace");
                assertThat(events.get(5).value())
                        .as("tombstone after the delete")
                        .isNull();
                assertThat(events.get(6).value().at("/payload/after/email").asText())
                        .isEqualTo("b@example.com");
                assertSlotLagReported(worker);
                assertThat(worker.connectors().connectorStatus("cdc").tasks())
                        .extracting(t -> t.state())
                        .containsOnly(State.RUNNING);
                assertThat(worker.connectors().offsets("cdc").offsets())
                        .as("offsets stored in the hub")
                        .isNotEmpty();
            }
            sql(db, "INSERT INTO customers VALUES (5, 'edsger', null)");
            try (TestWorker worker = TestWorker.start(dir)) {
                List<Event> events = awaitEvents(worker.log(), topic, 10);
                assertThat(events)
                        .as("no re-snapshot, nothing lost or repeated")
                        .extracting(Event::op)
                        .containsExactly("r", "r", "c", "u", "d", null, "c", "t", "c", "c");
                assertThat(events.get(9).value().at("/payload/after/id").asInt())
                        .isEqualTo(5);
                worker.connectors().deleteConnector("cdc");
            }
            assertThat(count(
                            db,
                            "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'slot_" + db.database() + "'"))
                    .as("slot dropped with the connector (sluice.cdc.drop.slot.on.delete=true)")
                    .isZero();
        }
    }

    /**
     * The slot's retained WAL, with the warning (threshold 1 byte here), and the seconds behind the
     * database (0 once caught up), in the hub's view, in the Kafka Connect status as the extra
     * "replication_slot" field, and as metrics.
     */
    private static void assertSlotLagReported(TestWorker worker) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode slot = get(worker, "/hub/connectors/cdc/replication-slot");
            return slot.path("retained_wal_bytes").asLong() > 1;
        });
        JsonNode slot = get(worker, "/hub/connectors/cdc/replication-slot");
        assertThat(slot.get("slot_name").asText()).startsWith("slot_");
        assertThat(slot.get("active").asBoolean()).isTrue();
        assertThat(slot.get("warn_bytes").asLong()).isEqualTo(1);
        assertThat(slot.get("warning").asText()).contains("above the warning threshold");
        JsonNode status = get(worker, "/connectors/cdc/status");
        assertThat(status.get("connector").get("state").asText()).isEqualTo("RUNNING");
        assertThat(status.at("/replication_slot/retained_wal_bytes").asLong()).isGreaterThan(1);
        assertThat(status.at("/replication_slot/warning").asText()).contains("above the warning threshold");
        // every change is in the log and the task idles: caught up, 0 seconds behind the database
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(worker, "/hub/connectors/cdc/replication-slot")
                                .path("lag_seconds")
                                .isNumber()
                        && get(worker, "/hub/connectors/cdc/replication-slot")
                                        .get("lag_seconds")
                                        .asDouble()
                                == 0.0);
        assertThat(status.at("/replication_slot/lag_seconds").isNumber())
                .as("lag_seconds in the status too")
                .isTrue();
        String metrics = getText(worker, "/actuator/prometheus");
        assertThat(metrics)
                .containsPattern("sluice_cdc_lag_seconds\\{connector=\"cdc\",task=\"0\"} 0\\.0")
                .containsPattern("sluice_cdc_slot_lag_bytes\\{connector=\"cdc\"[^}]*} [1-9]")
                .containsPattern("sluice_cdc_snapshot_rows_scanned\\{connector=\"cdc\"[^}]*} 2\\.0")
                .containsPattern("sluice_cdc_snapshot_tables_remaining\\{connector=\"cdc\"[^}]*} 0\\.0");
    }

    private static JsonNode get(TestWorker worker, String path) throws Exception {
        return JSON.readTree(getText(worker, path));
    }

    private static String getText(TestWorker worker, String path) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + worker.port() + path))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static Map<String, String> debezium(TestDatabase db) {
        Map<String, String> c =
                CdcConfigs.postgres(db, "shop", "public.customers", "slot_" + db.database(), "pub_" + db.database());
        c.put("plugin.name", "pgoutput");
        c.put("snapshot.mode", "initial");
        c.put("tasks.max", "1");
        c.put("sluice.cdc.drop.slot.on.delete", "true");
        c.put("sluice.cdc.slot.lag.warn.bytes", "1");
        return c;
    }

    record Event(long offset, String op, JsonNode value) {}

    private static List<Event> awaitEvents(Log log, String topic, int count) {
        List<Event> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            events.clear();
            events.addAll(read(log, topic));
            return events.size() >= count;
        });
        assertThat(events).hasSize(count);
        return events;
    }

    private static List<Event> read(Log log, String topic) throws Exception {
        List<Event> out = new ArrayList<>();
        if (!log.topics().contains(topic)) {
            return out;
        }
        PartitionLog p = log.partition(topic, 0);
        long offset = p.logStartOffset();
        while (offset < p.highWatermark()) {
            FetchResult r = p.fetch(offset, 1 << 20);
            for (StoredRecord rec : r.records()) {
                JsonNode value = rec.value() == null ? null : JSON.readTree(rec.value());
                String op = value == null ? null : value.at("/payload/op").asText();
                out.add(new Event(rec.offset(), op, value));
            }
            offset = r.nextOffset();
        }
        return out;
    }

    private static long count(TestDatabase db, String query) throws Exception {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(TestDatabase db, String... statements) throws Exception {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
