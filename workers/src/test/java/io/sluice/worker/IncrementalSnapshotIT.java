package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An incremental snapshot (Debezium's, started through its signalling table) stopped part-way
 * resumes from its last chunk when the connector is resumed: every row arrives, and only rows of
 * about the chunk in flight are read twice, not the whole table again.
 */
class IncrementalSnapshotIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    // large enough that the up-to-2 s drain of a graceful stop (SourceTaskRunner.DRAIN_MS) cannot
    // finish the snapshot on a fast machine (it read about 15k small rows a second here)
    private static final int ROWS = 100_000;
    private static final int CHUNK = 500;
    private static final String TOPIC = "inc.public.items";

    @TempDir
    Path dir;

    @Test
    void shouldResumeAnInterruptedIncrementalSnapshotFromItsLastChunk() throws Exception {
        try (TestDatabase db = PostgresFixture.shared().newDatabase();
                TestWorker worker = TestWorker.start(dir)) {
            sql(
                    db,
                    "CREATE TABLE items (id INT PRIMARY KEY, label TEXT NOT NULL)",
                    "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, " + ROWS + ") g",
                    "CREATE TABLE debezium_signal (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL,"
                            + " data VARCHAR(2048))");
            worker.connectors().createConnector("inc", config(db), TargetState.STARTED);
            await().atMost(Duration.ofSeconds(60)).until(() -> slotActive(db));
            sql(
                    db,
                    "INSERT INTO debezium_signal VALUES ('snap-1', 'execute-snapshot',"
                            + " '{\"data-collections\": [\"public.items\"], \"type\": \"incremental\"}')");

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> endOffset(worker.log()) >= 3 * CHUNK);
            worker.connectors().stopConnector("inc");
            await().atMost(Duration.ofSeconds(30)).until(() -> !slotActive(db));
            List<Integer> beforeStop = snapshotIds(worker.log());
            assertThat(beforeStop.size())
                    .as("stopped part-way through the snapshot")
                    .isLessThan(ROWS);

            worker.connectors().resumeConnector("inc");
            await().atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> new HashSet<>(snapshotIds(worker.log())).size() == ROWS);
            List<Integer> all = snapshotIds(worker.log());
            Set<Integer> distinct = new HashSet<>(all);
            assertThat(distinct).as("every row snapshotted").hasSize(ROWS);
            int readTwice = all.size() - ROWS;
            assertThat(readTwice)
                    .as("rows read again after the resume (%d were read before the stop)", beforeStop.size())
                    .isLessThanOrEqualTo(2 * CHUNK)
                    .isLessThan(beforeStop.size());
        }
    }

    private static Map<String, String> config(TestDatabase db) {
        Map<String, String> c = CdcConfigs.postgres(
                db,
                "inc",
                "public.items,public.debezium_signal",
                "slot_inc_" + db.database(),
                "pub_inc_" + db.database());
        c.put("snapshot.mode", "no_data");
        c.put("signal.data.collection", "public.debezium_signal");
        c.put("incremental.snapshot.chunk.size", Integer.toString(CHUNK));
        c.put("sluice.cdc.drop.slot.on.delete", "true");
        return c;
    }

    /** Ids of the snapshot reads ({@code op=r}) in the topic, in log order, repeats included. */
    private static List<Integer> snapshotIds(Log log) throws Exception {
        List<Integer> ids = new ArrayList<>();
        if (!log.topics().contains(TOPIC)) {
            return ids;
        }
        PartitionLog p = log.partition(TOPIC, 0);
        long offset = p.logStartOffset();
        while (offset < p.highWatermark()) {
            FetchResult r = p.fetch(offset, 1 << 20);
            for (StoredRecord rec : r.records()) {
                if (rec.value() != null) {
                    JsonNode payload = JSON.readTree(rec.value()).get("payload");
                    if ("r".equals(payload.get("op").asText())) {
                        ids.add(payload.at("/after/id").asInt());
                    }
                }
            }
            offset = r.nextOffset();
        }
        return ids;
    }

    private static long endOffset(Log log) {
        return log.topics().contains(TOPIC) ? log.partition(TOPIC, 0).highWatermark() : 0;
    }

    private static boolean slotActive(TestDatabase db) throws Exception {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery(
                        "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = 'slot_inc_"
                                + db.database() + "'")) {
            rs.next();
            return rs.getLong(1) > 0;
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
