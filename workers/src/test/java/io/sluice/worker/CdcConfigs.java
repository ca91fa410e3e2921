package io.sluice.worker;

import io.sluice.testing.TestDatabase;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Debezium Postgres connector configs for the tests and benchmarks: the connection, then what each adds.
 * Debezium's own defaults stay in force for what real deployments leave alone, {@code max.batch.size}
 * (2048) and {@code max.queue.size} (8192) in particular: tests must not pass only with tuned-down
 * batches, so nothing here (nor in a test) sets them.
 */
public final class CdcConfigs {

    private CdcConfigs() {}

    /**
     * A mutable config capturing {@code tables} of {@code db} into topics named {@code prefix.schema.table},
     * through its own slot and publication.
     */
    public static Map<String, String> postgres(
            TestDatabase db, String prefix, String tables, String slot, String publication) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        c.put("database.hostname", db.host());
        c.put("database.port", Integer.toString(db.port()));
        c.put("database.user", db.user());
        c.put("database.password", db.password());
        c.put("database.dbname", db.database());
        c.put("topic.prefix", prefix);
        c.put("table.include.list", tables);
        c.put("slot.name", slot);
        c.put("publication.name", publication);
        return c;
    }
}
