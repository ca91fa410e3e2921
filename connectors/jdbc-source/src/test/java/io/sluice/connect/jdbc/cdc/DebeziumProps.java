package io.sluice.connect.jdbc.cdc;

import io.sluice.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;

/** Debezium Postgres connector settings for a fixture database (slot and publication named after it). */
final class DebeziumProps {

    private DebeziumProps() {}

    static String slotName(TestDatabase db) {
        return "slot_" + db.database();
    }

    static Map<String, String> forDatabase(TestDatabase db, String tables, String... keyValues) {
        Map<String, String> props = new HashMap<>();
        props.put("connector.class", PostgresCdcDefaults.CONNECTOR_CLASS);
        props.put("database.hostname", db.host());
        props.put("database.port", Integer.toString(db.port()));
        props.put("database.user", db.user());
        if (db.password() != null) {
            props.put("database.password", db.password());
        }
        props.put("database.dbname", db.database());
        props.put("topic.prefix", "cdc");
        props.put("table.include.list", tables);
        props.put("slot.name", slotName(db));
        props.put("publication.name", "pub_" + db.database());
        props.put("tasks.max", "1");
        props.put("poll.interval.ms", "100");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return PostgresCdcDefaults.applyTo(props);
    }
}
