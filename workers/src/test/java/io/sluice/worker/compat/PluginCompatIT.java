package io.sluice.worker.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.plugin.PluginClassLoader;
import io.sluice.core.plugin.PluginDescriptor;
import io.sluice.core.plugin.PluginProblem;
import io.sluice.core.plugin.PluginType;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.service.ConnectorService;
import io.sluice.core.status.State;
import io.sluice.core.status.TargetState;
import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.PartitionLog;
import io.sluice.log.StoredRecord;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import io.sluice.worker.TestWorker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.connector.Connector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compatibility tier: real Kafka Connect plugins exactly as their projects ship them on Maven
 * Central (unpacked into {@code target/compat-plugins} by the build), each in a real pipeline
 * through one worker: MariaDB (binlog) → Debezium MariaDB → hub → Debezium JDBC sink →
 * PostgreSQL; PostgreSQL → Debezium Postgres (the plugin's own Debezium beside the built-in one) →
 * hub → Kafka's FileStream sink; FileStream source → hub → FileStream sink; MirrorMaker's heartbeat
 * connector → hub topic (its source and checkpoint connectors are loaded and validated: they need a
 * Kafka cluster to read from). The plugins and versions are listed in the README.
 */
class PluginCompatIT {

    private static final Path PLUGINS = Path.of("target", "compat-plugins").toAbsolutePath();
    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;

    static MariaDbFixture mariadb;
    static TestWorker worker;
    static ConnectorService connectors;

    @BeforeAll
    static void start() throws Exception {
        assertThat(MariaDbFixture.available())
                .as(
                        "needs /usr/sbin/mariadbd and mariadb-install-db (Debian package mariadb-server; .ci/run installs it)")
                .isTrue();
        assertThat(PLUGINS.resolve("debezium-connector-jdbc"))
                .as("plugins unpacked by the build (mvn verify runs the pre-integration-test phase)")
                .isDirectory();
        mariadb = MariaDbFixture.start(Files.createDirectories(dir.resolve("mariadb")));
        worker = TestWorker.start(
                dir.resolve("worker"),
                "sluice.plugin-path=" + PLUGINS,
                // the FileStream connectors read and write the test's own files
                "sluice.file-connectors.allowed-paths=" + dir,
                // MirrorMaker's admin client retries its unreachable cluster at INFO; keep the test log readable
                "logging.level.org.apache.kafka.clients=WARN");
        connectors = worker.connectors();
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @Test
    void shouldLoadEveryShippedPluginWithoutErrors() {
        List<PluginProblem> errors = connectors.pluginProblems().stream()
                .filter(p -> p.severity() == PluginProblem.Severity.ERROR)
                .toList();
        assertThat(errors).isEmpty();
        assertThat(connectors.plugins(true))
                .filteredOn(p -> !p.location().equals(PluginDescriptor.CLASSPATH))
                .extracting(PluginDescriptor::className)
                .contains(
                        "io.debezium.connector.jdbc.JdbcSinkConnector",
                        "io.debezium.connector.mariadb.MariaDbConnector",
                        "io.debezium.connector.postgresql.PostgresConnector",
                        "org.apache.kafka.connect.file.FileStreamSourceConnector",
                        "org.apache.kafka.connect.file.FileStreamSinkConnector",
                        "org.apache.kafka.connect.mirror.MirrorSourceConnector",
                        "org.apache.kafka.connect.mirror.MirrorCheckpointConnector",
                        "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector");
        assertThat(connectors.plugins(false))
                .filteredOn(p -> p.type() == PluginType.CONVERTER)
                .extracting(PluginDescriptor::className)
                .contains(
                        "org.apache.kafka.connect.converters.ByteArrayConverter",
                        "io.debezium.converters.CloudEventsConverter");
    }

    @Test
    void shouldReplicateMariaDbIntoPostgresThroughDebeziumsMariaDbSourceAndJdbcSink() throws Exception {
        mariadb.sql("CREATE DATABASE shop; CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(40), qty INT);"
                + " INSERT INTO shop.orders VALUES (1, 'apple', 3), (2, 'pear', 5);");
        try (TestDatabase pg = PostgresFixture.shared().newDatabase()) {
            Map<String, String> source = new LinkedHashMap<>();
            source.put("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
            source.put("tasks.max", "1");
            source.put("database.hostname", "127.0.0.1");
            source.put("database.port", String.valueOf(mariadb.port()));
            source.put("database.user", MariaDbFixture.USER);
            source.put("database.password", "");
            source.put("database.server.id", "5401");
            source.put("topic.prefix", "mdb");
            source.put("database.include.list", "shop");
            source.put("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
            source.put(
                    "schema.history.internal.file.filename",
                    dir.resolve("mariadb-history.dat").toString());
            connectors.createConnector("mariadb-source", source, TargetState.STARTED);

            Map<String, String> sink = new LinkedHashMap<>();
            sink.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
            sink.put("tasks.max", "1");
            sink.put("topics", "mdb.shop.orders");
            sink.put("connection.url", pg.jdbcUrl());
            sink.put("connection.username", pg.user());
            sink.put("connection.password", pg.password());
            sink.put("insert.mode", "upsert");
            sink.put("primary.key.mode", "record_key");
            sink.put("delete.enabled", "true");
            sink.put("schema.evolution", "basic");
            sink.put("collection.name.format", "orders_copy");
            connectors.createConnector("jdbc-sink", sink, TargetState.STARTED);

            await().atMost(PIPELINE_TIMEOUT)
                    .untilAsserted(() -> assertThat(rows(pg, "SELECT id, item, qty FROM orders_copy ORDER BY id"))
                            .containsExactly("1 apple 3", "2 pear 5"));
            mariadb.sql("INSERT INTO shop.orders VALUES (3, 'plum', 7); UPDATE shop.orders SET qty = 4 WHERE id = 1;"
                    + " DELETE FROM shop.orders WHERE id = 2;");
            await().atMost(PIPELINE_TIMEOUT)
                    .untilAsserted(() -> assertThat(rows(pg, "SELECT id, item, qty FROM orders_copy ORDER BY id"))
                            .containsExactly("1 apple 4", "3 plum 7"));
            assertThat(taskStates("jdbc-sink")).containsOnly(State.RUNNING);
            assertThat(connectors.connectorStatus("jdbc-sink").tasks())
                    .as("the sink found its JDBC driver on the first attempt: no failure, no restart")
                    .allSatisfy(t -> assertThat(t.restarts()).isEmpty());
            assertThat(taskStates("mariadb-source")).containsOnly(State.RUNNING);
        }
    }

    @Test
    void shouldStreamPostgresChangesThroughThePluginsOwnDebeziumIntoAFile() throws Exception {
        Path out = dir.resolve("pg-changes.txt");
        try (TestDatabase pg = PostgresFixture.shared().newDatabase()) {
            execute(pg, "CREATE TABLE items (id INT PRIMARY KEY, name TEXT)", "INSERT INTO items VALUES (1, 'anvil')");
            Map<String, String> source = new LinkedHashMap<>();
            source.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
            source.put("tasks.max", "1");
            source.put("database.hostname", pg.host());
            source.put("database.port", String.valueOf(pg.port()));
            source.put("database.user", pg.user());
            source.put("database.password", pg.password());
            source.put("database.dbname", pg.database());
            source.put("topic.prefix", "pgplug");
            source.put("plugin.name", "pgoutput");
            source.put("slot.name", "slot_" + pg.database());
            source.put("publication.name", "pub_" + pg.database());
            source.put("table.include.list", "public.items");
            connectors.createConnector("pg-plugin-source", source, TargetState.STARTED);
            connectors.createConnector("pg-file-sink", fileSink("pgplug.public.items", out), TargetState.STARTED);

            assertThat(worker.bean(Plugins.class)
                            .pluginClass("io.debezium.connector.postgresql.PostgresConnector", Connector.class)
                            .getClassLoader())
                    .as("the plugin path's Debezium replaces the built-in one of the same version")
                    .isInstanceOf(PluginClassLoader.class);
            await().atMost(PIPELINE_TIMEOUT).until(() -> read(out).contains("anvil"));
            execute(pg, "INSERT INTO items VALUES (2, 'bellows')");
            await().atMost(PIPELINE_TIMEOUT).until(() -> read(out).contains("bellows"));
            connectors.deleteConnector("pg-plugin-source");
        }
    }

    @Test
    void shouldCopyAFileThroughKafkasFileStreamPlugins() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "first line\nsecond line\n");
        Path out = dir.resolve("out.txt");
        Map<String, String> source = new LinkedHashMap<>();
        source.put("connector.class", "FileStreamSource");
        source.put("file", in.toString());
        source.put("topic", "file-lines");
        connectors.createConnector("file-source", source, TargetState.STARTED);
        connectors.createConnector("file-sink", fileSink("file-lines", out), TargetState.STARTED);

        await().atMost(PIPELINE_TIMEOUT)
                .until(() -> read(out).contains("first line") && read(out).contains("second line"));
    }

    @Test
    void shouldRunMirrorMakersHeartbeatConnectorIntoTheHub() throws Exception {
        Map<String, String> heartbeat = new LinkedHashMap<>();
        heartbeat.put("connector.class", "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector");
        heartbeat.put("source.cluster.alias", "east");
        heartbeat.put("target.cluster.alias", "west");
        // no Kafka cluster here: its admin client can only fail to create the topic, which the hub creates
        heartbeat.put("source.cluster.bootstrap.servers", "127.0.0.1:1");
        heartbeat.put("target.cluster.bootstrap.servers", "127.0.0.1:1");
        heartbeat.put("admin.timeout.ms", "1000");
        heartbeat.put("target.admin.reconnect.backoff.ms", "5000");
        heartbeat.put("target.admin.reconnect.backoff.max.ms", "5000");
        heartbeat.put("target.admin.retry.backoff.ms", "5000");
        // its admin client's pending createTopics would otherwise hold the connector's stop for 60 s
        heartbeat.put("target.admin.default.api.timeout.ms", "3000");
        heartbeat.put("target.admin.request.timeout.ms", "2000");
        heartbeat.put("emit.heartbeats.interval.seconds", "1");
        connectors.createConnector("mm2-heartbeat", heartbeat, TargetState.STARTED);

        // a heartbeat's key is MirrorMaker's own binary encoding (BYTES schema) of both cluster aliases
        await().atMost(PIPELINE_TIMEOUT)
                .untilAsserted(() -> assertThat(keys(worker.log(), "heartbeats"))
                        .anySatisfy(v ->
                                assertThat(decodedBytes(v)).contains("east").contains("west")));
        connectors.deleteConnector("mm2-heartbeat");
        for (String mirror : List.of("MirrorSourceConnector", "MirrorCheckpointConnector")) {
            Map<String, String> config =
                    Map.of("connector.class", mirror, "source.cluster.alias", "east", "target.cluster.alias", "west");
            assertThat(connectors.validateConfig(mirror, config).configs()).isNotEmpty();
        }
    }

    /** The bytes a JsonConverter value of a BYTES schema holds (base64), as text. */
    private static String decodedBytes(String jsonValue) {
        try {
            com.fasterxml.jackson.databind.JsonNode json =
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(jsonValue);
            // with schemas the base64 text is in "payload", without them it is the whole value
            String payload =
                    json.isTextual() ? json.asText() : json.path("payload").asText("");
            return new String(java.util.Base64.getDecoder().decode(payload), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException | IllegalArgumentException notBytes) {
            return "";
        }
    }

    /** The keys of a topic's first partition as text. */
    private static List<String> keys(Log log, String topic) throws Exception {
        List<String> out = new ArrayList<>();
        if (!log.topics().contains(topic)) {
            return out;
        }
        PartitionLog partition = log.partition(topic, 0);
        long offset = partition.logStartOffset();
        while (offset < partition.highWatermark()) {
            FetchResult fetched = partition.fetch(offset, 1 << 20);
            for (StoredRecord record : fetched.records()) {
                out.add(record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8));
            }
            offset = fetched.nextOffset();
        }
        return out;
    }

    private static Map<String, String> fileSink(String topics, Path out) {
        Map<String, String> sink = new LinkedHashMap<>();
        sink.put("connector.class", "FileStreamSink");
        sink.put("file", out.toString());
        sink.put("topics", topics);
        return sink;
    }

    private static List<State> taskStates(String connector) {
        return connectors.connectorStatus(connector).tasks().stream()
                .map(t -> t.state())
                .toList();
    }

    private static String read(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static void execute(TestDatabase db, String... statements) throws Exception {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static List<String> rows(TestDatabase db, String query) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.openConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(rs.getString(i));
                }
                rows.add(String.join(" ", values));
            }
        } catch (java.sql.SQLException tableNotYetThere) {
            return List.of();
        }
        return rows;
    }
}
