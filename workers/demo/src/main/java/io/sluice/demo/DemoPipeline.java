package io.sluice.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline the demo creates, as the JSON a user would POST to {@code /connectors}: Debezium's
 * Postgres connector capturing the sample tables into the hub's log, and the S3 sink writing those
 * topics into a bucket as JSON lines, one flattened row per change. README.md shows the same two
 * configs with placeholders for the {@link #ENVIRONMENT_KEYS}; a test keeps them equal.
 *
 * <p>Stateless.
 */
final class DemoPipeline {

    static final String SOURCE = "shop-cdc";
    static final String SINK = "shop-lake";
    static final String TOPIC_PREFIX = "shop";
    static final List<String> TABLES = List.of("public.customers", "public.orders");
    static final int FLUSH_SIZE = 100;

    /** Settings whose values say where the user's database and bucket are and how to log in. */
    static final Set<String> ENVIRONMENT_KEYS = Set.of(
            "database.hostname",
            "database.port",
            "database.user",
            "database.password",
            "database.dbname",
            "s3.bucket.name",
            "s3.region",
            "store.url",
            "aws.access.key.id",
            "aws.secret.access.key");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where the captured database is. */
    record Database(String host, int port, String name, String user, String password) {}

    /** Where the lake is. */
    record Bucket(String endpoint, String name, String region, String accessKey, String secretKey) {}

    private DemoPipeline() {}

    /** The topic of a captured table, e.g. {@code shop.public.orders}. */
    static String topic(String table) {
        return TOPIC_PREFIX + "." + table;
    }

    static List<String> topics() {
        return TABLES.stream().map(DemoPipeline::topic).toList();
    }

    static Map<String, String> cdcSource(Database db) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        c.put("tasks.max", "1");
        c.put("plugin.name", "pgoutput");
        c.put("database.hostname", db.host());
        c.put("database.port", Integer.toString(db.port()));
        c.put("database.user", db.user());
        c.put("database.password", db.password());
        c.put("database.dbname", db.name());
        c.put("topic.prefix", TOPIC_PREFIX);
        c.put("table.include.list", String.join(",", TABLES));
        c.put("slot.name", "sluice_shop");
        c.put("publication.name", "sluice_shop");
        return c;
    }

    static Map<String, String> lakeSink(Bucket bucket) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.sluice.connect.s3.S3SinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", String.join(",", topics()));
        c.put("s3.bucket.name", bucket.name());
        c.put("s3.region", bucket.region());
        c.put("store.url", bucket.endpoint());
        c.put("aws.access.key.id", bucket.accessKey());
        c.put("aws.secret.access.key", bucket.secretKey());
        c.put("format.class", "json");
        c.put("flush.size", Integer.toString(FLUSH_SIZE));
        c.put("rotate.interval.ms", "10000");
        c.put("rotate.schedule.interval.ms", "60000");
        c.put("timezone", "UTC");
        c.put("timestamp.extractor", "Record");
        c.put("transforms", "unwrap");
        c.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
        c.put("transforms.unwrap.delete.tombstone.handling.mode", "rewrite");
        c.put("transforms.unwrap.add.fields", "op,ts_ms");
        return c;
    }

    /** {@code {"name": ..., "config": {...}}}, indented, as sent to {@code POST /connectors}. */
    static String request(String name, Map<String, String> config) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("config", config);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the config of " + name, e);
        }
    }
}
