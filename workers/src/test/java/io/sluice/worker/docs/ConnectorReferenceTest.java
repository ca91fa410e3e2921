package io.sluice.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.connector.postgresql.PostgresConnector;
import io.sluice.connect.elasticsearch.ElasticsearchSinkConnector;
import io.sluice.connect.jdbc.JdbcSourceConnector;
import io.sluice.connect.jdbc.cdc.PostgresCdcDefaults;
import io.sluice.connect.s3.S3SinkConnector;
import io.sluice.core.config.SinkConnectorConfig;
import io.sluice.core.config.SourceConnectorConfig;
import io.sluice.worker.runtime.CdcWorkerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.sink.SinkConnector;
import org.junit.jupiter.api.Test;

/**
 * The connector reference pages ({@code connectors/<module>/docs/reference-*.md}) are generated
 * from the connectors' own {@code ConfigDef}s, Sluice's Debezium defaults
 * ({@link PostgresCdcDefaults}) and the worker's CDC settings ({@link CdcWorkerSettings}), so every
 * default is written once, in the code. This test fails when a committed page differs from what the
 * code says now; run it with {@code -Dsluice.regenerate=true} to rewrite the pages ({@link #REGENERATE}).
 */
class ConnectorReferenceTest {

    static final String REGENERATE = "./mvnw -pl workers -am test -Dtest=ConnectorReferenceTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dsluice.regenerate=true";

    private static final Path CONNECTORS = Path.of("..", "connectors");

    @Test
    void shouldMatchTheJdbcSourceDefinition() throws IOException {
        check(
                CONNECTORS.resolve("jdbc-source/docs/reference-jdbc-source.md"),
                page(
                        "JDBC source",
                        new JdbcSourceConnector(),
                        "How the polling modes work: [jdbc-polling.md](jdbc-polling.md).",
                        Map.of()));
    }

    @Test
    void shouldMatchDebeziumsPostgresDefinitionAsHostedHere() throws IOException {
        Map<String, String> recommended = new TreeMap<>(PostgresCdcDefaults.recommended());
        ConfigDef debezium = new PostgresConnector().config();
        StringBuilder intro = new StringBuilder()
                .append("Debezium's own connector, hosted unchanged as a Kafka Connect plugin (its offsets live in")
                .append(
                        " the hub's offsets topic). Why the hub does what it does: [postgres-cdc.md](postgres-cdc.md).\n\n")
                .append("## Sluice's recommended settings\n\n")
                .append("When a Postgres CDC connector starts, the hub applies these under the connector's config")
                .append(" (`PostgresCdcDefaults`): a value you set always wins.\n\n")
                .append("| setting | Sluice's value | Debezium's default |\n| --- | --- | --- |\n");
        recommended.forEach((name, value) -> intro.append("| `")
                .append(name)
                .append("` | ")
                .append(ReferenceTables.code(value))
                .append(" | ")
                .append(
                        debezium.configKeys().containsKey(name)
                                ? ReferenceTables.defaultOf(
                                        debezium.configKeys().get(name))
                                : "(not a Debezium setting)")
                .append(" |\n"));
        CdcWorkerSettings.Setting drop = CdcWorkerSettings.dropSlotOnDelete();
        CdcWorkerSettings.Setting lag = CdcWorkerSettings.slotLagWarnBytes();
        intro.append("\n## Settings the worker reads for Postgres CDC connectors\n\n")
                .append("Set them in the connector's config like any other setting.\n\n")
                .append("| setting | type | default | description |\n| --- | --- | --- | --- |\n")
                .append("| `")
                .append(drop.name())
                .append("` | boolean | ")
                .append(ReferenceTables.code(drop.defaultValue()))
                .append(" | When the connector is deleted, also drop its replication slot (`slot.name`) and")
                .append(" publication (`publication.name`). Keeping them lets a re-created connector resume")
                .append(" without a new snapshot, but a kept slot holds WAL on the server. |\n")
                .append("| `")
                .append(lag.name())
                .append("` | long | ")
                .append(ReferenceTables.code(lag.defaultValue()))
                .append(" | WAL bytes the connector's slot may retain before the worker logs a WARN; the value")
                .append(" is the gauge `sluice.cdc.slot.lag.bytes{connector}` at `/actuator/prometheus`. |\n");
        check(
                CONNECTORS.resolve("jdbc-source/docs/reference-postgres-cdc.md"),
                page("Postgres CDC (Debezium)", new PostgresConnector(), intro.toString(), recommended));
    }

    @Test
    void shouldMatchTheS3SinkDefinition() throws IOException {
        check(
                CONNECTORS.resolve("s3-sink/docs/reference-s3-sink.md"),
                page(
                        "S3 sink",
                        new S3SinkConnector(),
                        "How it writes and its exactly-once promise: the README's S3 sink section.",
                        Map.of()));
    }

    @Test
    void shouldMatchTheElasticsearchSinkDefinition() throws IOException {
        check(
                CONNECTORS.resolve("elasticsearch-sink/docs/reference-elasticsearch-sink.md"),
                page(
                        "Elasticsearch sink",
                        new ElasticsearchSinkConnector(),
                        "Behaviour (ids, retries, back-pressure): the README's Elasticsearch sink section.",
                        Map.of()));
    }

    private static String page(String title, Connector connector, String intro, Map<String, String> hubDefaults) {
        boolean sink = connector instanceof SinkConnector;
        StringBuilder md = new StringBuilder()
                .append("# ")
                .append(title)
                .append(" reference\n\n")
                .append("`connector.class`: `")
                .append(connector.getClass().getName())
                .append("` (version ")
                .append(connector.version().contains("SNAPSHOT") ? "of this build" : connector.version())
                .append(").\n\n")
                .append("Generated from the connector's `ConfigDef` (what `GET /connector-plugins/")
                .append(connector.getClass().getSimpleName())
                .append("/config` and the validate endpoint serve) and the hub's own settings, by")
                .append(" `ConnectorReferenceTest`; do not edit by hand. Regenerate with\n`")
                .append(REGENERATE)
                .append("`.\n\n")
                .append(intro.strip())
                .append("\n\n## The connector's settings\n")
                .append(ReferenceTables.render(connector.config(), "###", hubDefaults, "Sluice"))
                .append("\n## Settings the hub adds to every ")
                .append(sink ? "sink" : "source")
                .append(" connector\n")
                .append(ReferenceTables.render(
                        sink ? SinkConnectorConfig.configDef() : SourceConnectorConfig.configDef(),
                        "###",
                        Map.of(),
                        ""));
        return md.toString();
    }

    private static void check(Path page, String rendered) throws IOException {
        if (Boolean.getBoolean("sluice.regenerate")) {
            Files.createDirectories(page.getParent());
            Files.writeString(page, rendered);
        }
        String committed = Files.exists(page) ? Files.readString(page) : "";
        assertThat(committed)
                .as(
                        "%s is stale (a setting, default or description changed in the code); regenerate it with: %s",
                        page.normalize(), REGENERATE)
                .isEqualTo(rendered);
    }
}
