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
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL server itself stops (fast shutdown, every connection cut) and starts again while a
 * polling task and a CDC task run in the worker: both carry on from their offsets, end RUNNING, and
 * every row reaches the log, the ones written after the restart included.
 */
class DatabaseRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresFixture server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        server = PostgresFixture.dedicated();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void shouldCarryOnFromTheirOffsetsAfterTheDatabaseRestarts() throws Exception {
        TestDatabase db = server.newDatabase();
        sql(
                db,
                "CREATE TABLE orders (id INT PRIMARY KEY, note TEXT NOT NULL)",
                "INSERT INTO orders SELECT g, 'before ' || g FROM generate_series(1, 100) g");
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors().createConnector("polled", polling(db), TargetState.STARTED);
            worker.connectors().createConnector("cdc", cdc(db), TargetState.STARTED);
            awaitIds(worker.log(), "polled-orders", 100);
            awaitIds(worker.log(), "down.public.orders", 100);

            server.stopServer();
            await().atMost(Duration.ofSeconds(60)).until(DatabaseRestartIT::cdcDisconnected);
            server.startServer();
            sql(db, "INSERT INTO orders SELECT g, 'after ' || g FROM generate_series(101, 200) g");

            List<Integer> polled = awaitIds(worker.log(), "polled-orders", 200);
            List<Integer> captured = awaitIds(worker.log(), "down.public.orders", 200);
            List<Integer> expected = IntStream.rangeClosed(1, 200).boxed().toList();
            assertThat(polled)
                    .as("polled rows, in order, none lost or repeated")
                    .isEqualTo(expected);
            assertThat(captured.stream().distinct().toList())
                    .as("captured rows, none lost")
                    .isEqualTo(expected);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String name : List.of("polled", "cdc")) {
                    assertThat(worker.connectors().connectorStatus(name).tasks())
                            .as(name)
                            .extracting(t -> t.state())
                            .containsOnly(State.RUNNING);
                }
            });
            worker.connectors().deleteConnector("cdc");
        }
        db.close();
    }

    /** Debezium's streaming metrics say it lost its connection (or its task is being restarted). */
    private static boolean cdcDisconnected() throws Exception {
        var mbeans = ManagementFactory.getPlatformMBeanServer();
        var names = mbeans.queryNames(
                new ObjectName("debezium.postgres:type=connector-metrics,context=streaming,server=down,*"), null);
        for (ObjectName name : names) {
            if (Boolean.TRUE.equals(mbeans.getAttribute(name, "Connected"))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> polling(TestDatabase db) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.sluice.connect.jdbc.JdbcSourceConnector");
        c.put("connection.url", db.jdbcUrl());
        c.put("connection.user", db.user());
        c.put("connection.password", db.password());
        c.put("table.whitelist", "orders");
        c.put("mode", "incrementing");
        c.put("incrementing.column.name", "id");
        c.put("topic.prefix", "polled-");
        c.put("poll.interval.ms", "200");
        c.put("connection.backoff.ms", "200");
        return c;
    }

    private static Map<String, String> cdc(TestDatabase db) {
        Map<String, String> c = CdcConfigs.postgres(
                db, "down", "public.orders", "slot_down_" + db.database(), "pub_down_" + db.database());
        c.put("retriable.restart.connector.wait.ms", "1000");
        c.put("sluice.cdc.drop.slot.on.delete", "true");
        return c;
    }

    /** Waits until the topic holds {@code count} distinct ids; returns every id in log order. */
    private static List<Integer> awaitIds(Log log, String topic, int count) {
        List<Integer> ids = new ArrayList<>();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            ids.clear();
            ids.addAll(ids(log, topic));
            return ids.stream().distinct().count() >= count;
        });
        return ids;
    }

    private static List<Integer> ids(Log log, String topic) throws Exception {
        List<Integer> ids = new ArrayList<>();
        if (!log.topics().contains(topic)) {
            return ids;
        }
        PartitionLog p = log.partition(topic, 0);
        long offset = p.logStartOffset();
        while (offset < p.highWatermark()) {
            FetchResult r = p.fetch(offset, 1 << 20);
            for (StoredRecord rec : r.records()) {
                if (rec.value() != null) {
                    JsonNode payload = JSON.readTree(rec.value()).get("payload");
                    JsonNode id = payload.has("after") ? payload.at("/after/id") : payload.get("id");
                    if (id != null && !id.isMissingNode() && !id.isNull()) {
                        ids.add(id.asInt());
                    }
                }
            }
            offset = r.nextOffset();
        }
        return ids;
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
