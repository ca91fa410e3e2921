package io.sluice.worker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.worker.GoldenFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the keys and values the worker's stores keep in the config, status and source offset topics
 * (the same bytes go through the metadata group in a cluster): each store writes fixed values through
 * its own API and the topic's entries must equal a committed golden file; a store opened on the
 * golden entries must read the values back. A change of format is then always deliberate
 * ({@code -Dgolden.update=true}, then review the diff and keep a reader for the old one).
 */
class StoredValuesGoldenTest {

    @TempDir
    Path dir;

    private Log log;

    @BeforeEach
    void open() {
        log = Log.open(LogOptions.defaults(dir));
    }

    @AfterEach
    void close() {
        log.close();
    }

    private static Map<String, String> connectorConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", "io.sluice.connect.jdbc.JdbcSourceConnector");
        config.put("tasks.max", "2");
        config.put("connection.password", "${file:/run/secrets/db:password}");
        config.put("topic.prefix", "shop-");
        return config;
    }

    private static List<Map<String, String>> taskConfigs() {
        Map<String, String> t0 = new LinkedHashMap<>(connectorConfig());
        t0.put("task.class", "io.sluice.connect.jdbc.JdbcSourceTask");
        t0.put("tables", "orders");
        Map<String, String> t1 = new LinkedHashMap<>(t0);
        t1.put("tables", "customers");
        return List.of(t0, t1);
    }

    @Test
    void shouldKeepTheConfigTopicKeysAndValues() {
        CompactedTopicMap map = CompactedTopicMap.open(log, ConfigStore.TOPIC);
        ConfigStore store = new ConfigStore(map);
        store.putConnector("shop", connectorConfig(), "STARTED");
        store.putTaskConfigs("shop", taskConfigs());
        store.putTargetState("shop", "PAUSED");
        store.putRestart("shop", new ConfigStore.Restart("restart-17", 1, true, false));
        store.putConnector("lake", Map.of("connector.class", "S3SinkConnector"), "STOPPED");
        store.putRestart("lake", new ConfigStore.Restart("restart-18", null, false, true));
        store.putLoggerLevel("io.sluice.worker", "DEBUG");

        GoldenFiles.assertEntries("store/config-topic.json", map.snapshot());

        ConfigStore read = new ConfigStore(golden("store/config-topic.json", ConfigStore.TOPIC));
        assertThat(read.connectors()).containsExactly("lake", "shop");
        assertThat(read.connectorConfig("shop")).contains(connectorConfig());
        assertThat(read.targetState("shop")).contains("PAUSED");
        assertThat(read.targetState("lake")).contains("STOPPED");
        assertThat(read.taskConfigs("shop")).isEqualTo(taskConfigs());
        assertThat(read.restart("shop")).contains(new ConfigStore.Restart("restart-17", 1, true, false));
        assertThat(read.restart("lake")).contains(new ConfigStore.Restart("restart-18", null, false, true));
        assertThat(read.loggerLevels()).containsExactly(Map.entry("io.sluice.worker", "DEBUG"));
    }

    @Test
    void shouldKeepTheConfigTopicsWayOfHandingConfigsToTheSecretsSeal() {
        StoredSecrets marking = new StoredSecrets() {
            @Override
            public Map<String, String> seal(Map<String, String> connectorConfig, Map<String, String> values) {
                Map<String, String> out = new LinkedHashMap<>(values);
                out.computeIfPresent("connection.password", (k, v) -> "sealed:" + v);
                return out;
            }

            @Override
            public Map<String, String> open(Map<String, String> values) {
                Map<String, String> out = new LinkedHashMap<>(values);
                out.computeIfPresent("connection.password", (k, v) -> v.substring("sealed:".length()));
                return out;
            }
        };
        CompactedTopicMap map = CompactedTopicMap.open(log, ConfigStore.TOPIC);
        ConfigStore store = new ConfigStore(map, marking);
        store.putConnector("shop", connectorConfig(), "STARTED");
        store.putTaskConfigs("shop", taskConfigs());

        GoldenFiles.assertEntries("store/config-topic-sealed.json", map.snapshot());

        ConfigStore read = new ConfigStore(golden("store/config-topic-sealed.json", ConfigStore.TOPIC), marking);
        assertThat(read.connectorConfig("shop")).contains(connectorConfig());
        assertThat(read.taskConfigs("shop")).isEqualTo(taskConfigs());
    }

    private static StatusStore.Entry failedTask() {
        return new StatusStore.Entry(
                "FAILED",
                "127.0.0.1:8083",
                "org.apache.kafka.connect.errors.ConnectException: connection refused\n\tat Task.poll(Task.java:12)\n",
                1_700_000_000_000L,
                List.of(
                        new StatusStore.Restart(1_699_999_990_000L, 1, "automatic restart after failure"),
                        new StatusStore.Restart(1_699_999_995_000L, 2, "requested")),
                12L,
                null);
    }

    private static StatusStore.Entry retryingTask() {
        return new StatusStore.Entry(
                "RUNNING",
                "127.0.0.1:8084",
                null,
                1_700_000_000_500L,
                List.of(),
                13L,
                new StatusStore.Retrying("java.io.IOException: bucket not reachable", 1_700_000_000_100L));
    }

    @Test
    void shouldKeepTheStatusTopicKeysAndValues() {
        CompactedTopicMap map = CompactedTopicMap.open(log, StatusStore.TOPIC);
        StatusStore store = new StatusStore(map);
        StatusStore.Entry connector =
                new StatusStore.Entry("RUNNING", "127.0.0.1:8083", null, 1_700_000_000_000L, List.of());
        store.putConnector("shop", connector);
        store.putTask("shop", 0, failedTask());
        store.putTask("shop", 1, retryingTask());

        GoldenFiles.assertEntries("store/status-topic.json", map.snapshot());

        StatusStore read = new StatusStore(golden("store/status-topic.json", StatusStore.TOPIC));
        assertThat(read.connector("shop")).contains(connector);
        assertThat(read.tasks("shop")).containsExactly(Map.entry(0, failedTask()), Map.entry(1, retryingTask()));
        assertThat(StatusStore.decode(StatusStore.encode(failedTask()))).isEqualTo(failedTask());
    }

    @Test
    void shouldKeepTheSourceOffsetKeysAsKafkaConnectWritesThemAndReadNumbersAsLongs() {
        CompactedTopicMap map = CompactedTopicMap.open(log, SourceOffsetStore.TOPIC);
        SourceOffsetStore store = new SourceOffsetStore(map);
        Map<Map<String, ?>, Map<String, ?>> offsets = new LinkedHashMap<>();
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("table", "orders");
        table.put("schema", "public"); // written sorted by key whatever the connector's order
        offsets.put(table, Map.of("incrementing", 42));
        Map<String, Object> lsn = new LinkedHashMap<>();
        lsn.put("lsn", 123_456_789_012L);
        lsn.put("snapshot_completed", true);
        offsets.put(Map.of("server", "shop"), lsn);
        offsets.put(Map.of("filename", "/data/in.txt"), Map.of("position", 7));
        store.put("shop", offsets);
        store.put(new TaskEpoch("shop", 1, 5), Map.of(Map.of("filename", "/data/in.txt"), Map.of("position", 9)));
        store.put("gone", Map.of(Map.of("server", "old"), Map.of("lsn", 1)));
        store.removeAll("gone");

        GoldenFiles.assertEntries("store/source-offsets-topic.json", map.snapshot());

        SourceOffsetStore read =
                new SourceOffsetStore(golden("store/source-offsets-topic.json", SourceOffsetStore.TOPIC));
        assertThat(read.get("shop", Map.of("schema", "public", "table", "orders")))
                .isEqualTo(Map.of("incrementing", 42L));
        assertThat(read.get("shop", Map.of("server", "shop")))
                .isEqualTo(Map.of("lsn", 123_456_789_012L, "snapshot_completed", true));
        assertThat(read.get("shop", Map.of("filename", "/data/in.txt"))).isEqualTo(Map.of("position", 9L));
        assertThat(read.all("shop")).hasSize(3);
        assertThat(read.all("gone")).isEmpty();
    }

    /** A fresh map in another log, holding the golden entries as if read back from its topic. */
    private CompactedTopicMap golden(String name, String topic) {
        Log other = Log.open(LogOptions.defaults(dir.resolve("read-" + topic)));
        CompactedTopicMap map = CompactedTopicMap.open(other, topic);
        map.applyCommitted(GoldenFiles.entries(name));
        other.close();
        // reopened: the values come back through the topic's records, as after a restart
        Log reopened = Log.open(LogOptions.defaults(dir.resolve("read-" + topic)));
        opened.add(reopened);
        return CompactedTopicMap.open(reopened, topic);
    }

    private final List<Log> opened = new java.util.ArrayList<>();

    @AfterEach
    void closeReopened() {
        opened.forEach(Log::close);
    }
}
