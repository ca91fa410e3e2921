package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import io.sluice.worker.CdcConfigs;
import io.sluice.worker.TestWorker;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validate and create of Debezium's Postgres connector against real PostgreSQL: each mistake is
 * reported on the setting to fix with its real cause (password, host, database, replication
 * privilege, missing table, {@code wal_level}) instead of every one on {@code database.hostname},
 * and a connector with such a mistake is not created.
 */
class CdcPreflightIT {

    private static final String VALIDATE = "/connector-plugins/PostgresConnector/config/validate";

    @TempDir
    static Path dir;

    static TestWorker worker;
    static Http http;
    static TestDatabase db;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresFixture.shared().newDatabase();
        try (Connection c = db.openConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE public.orders (id int PRIMARY KEY, total numeric)");
        }
        worker = TestWorker.start(dir);
        http = new Http(worker.port());
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static Map<String, String> config(TestDatabase on) {
        Map<String, String> c = CdcConfigs.postgres(on, "pre", "public.orders", "pre_slot", "pre_pub");
        c.put("name", "pre-cdc");
        c.put("plugin.name", "pgoutput");
        return c;
    }

    private static JsonNode validate(Map<String, String> config) {
        Http.Response r = http.put(VALIDATE, Http.json(config));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    /** Setting → its error messages, for settings that have any. */
    private static Map<String, List<String>> errors(JsonNode validated) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        for (JsonNode c : validated.get("configs")) {
            List<String> messages = new ArrayList<>();
            c.get("value").get("errors").forEach(e -> messages.add(e.asText()));
            if (!messages.isEmpty()) {
                out.put(c.get("value").get("name").asText(), messages);
            }
        }
        return out;
    }

    @Test
    void shouldAcceptAWorkingConfig() {
        JsonNode validated = validate(config(db));

        assertThat(errors(validated)).isEmpty();
        assertThat(validated.get("error_count").asInt()).isZero();
    }

    @Test
    void shouldBlameThePasswordForAFailedLoginAndNotShowIt() {
        Map<String, String> c = config(db);
        c.put("database.password", "wrong-password-42");

        JsonNode validated = validate(c);

        assertThat(errors(validated)).containsOnlyKeys("database.password");
        assertThat(errors(validated).get("database.password").get(0))
                .contains("refused the password of user '" + db.user() + "'")
                .contains("set database.password");
        assertThat(validated.toString()).doesNotContain("wrong-password-42");

        Http.Response created = http.post("/connectors", Http.json(Map.of("name", "pre-cdc", "config", c)));
        created.isError(400);
        assertThat(created.text()).contains("database.password").doesNotContain("wrong-password-42");
        assertThat(http.get("/connectors/pre-cdc").status()).isEqualTo(404);
    }

    @Test
    void shouldBlameTheHostWhenNothingListens() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        Map<String, String> c = config(db);
        c.put("database.port", Integer.toString(unused));

        Map<String, List<String>> errors = errors(validate(c));

        assertThat(errors).containsKey("database.hostname");
        assertThat(errors.get("database.hostname").toString())
                .contains("cannot connect to PostgreSQL at " + db.host() + ":" + unused)
                .contains("database.port");
    }

    @Test
    void shouldBlameTheDatabaseNameWhenThereIsNoSuchDatabase() {
        Map<String, String> c = config(db);
        c.put("database.dbname", "no_such_db");

        Map<String, List<String>> errors = errors(validate(c));

        assertThat(errors).containsOnlyKeys("database.dbname");
        assertThat(errors.get("database.dbname").get(0)).contains("'no_such_db' does not exist");
    }

    @Test
    void shouldNameAMissingTable() {
        Map<String, String> c = config(db);
        c.put("table.include.list", "public.orders,public.customers");

        Map<String, List<String>> errors = errors(validate(c));

        assertThat(errors).containsOnlyKeys("table.include.list");
        assertThat(errors.get("table.include.list").get(0))
                .contains("table public.customers not found in database '" + db.database() + "'");
    }

    @Test
    void shouldBlameTheUserWithoutTheReplicationPrivilege() throws Exception {
        String role = "weak_" + Long.toHexString(System.nanoTime());
        try (Connection conn = db.openConnection();
                Statement s = conn.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'weak-pw'");
            s.execute("GRANT SELECT ON public.orders TO " + role);
        }
        Map<String, String> c = config(db);
        c.put("database.user", role);
        c.put("database.password", "weak-pw");

        Map<String, List<String>> errors = errors(validate(c));

        assertThat(errors).containsOnlyKeys("database.user");
        assertThat(errors.get("database.user").toString())
                .contains("may not use logical replication")
                .contains("ALTER ROLE " + role + " REPLICATION");
    }

    @Test
    void shouldExplainWalLevelReplicaAndRefuseTheConnector() throws Exception {
        PostgresFixture replicaOnly = PostgresFixture.dedicated();
        try (TestDatabase other = replicaOnly.newDatabase()) {
            try (Connection conn = other.openConnection();
                    Statement s = conn.createStatement()) {
                s.execute("CREATE TABLE public.orders (id int PRIMARY KEY)");
                s.execute("ALTER SYSTEM SET wal_level = replica");
            }
            replicaOnly.stopServer();
            replicaOnly.startServer();
            Map<String, String> c = config(other);

            Map<String, List<String>> errors = errors(validate(c));

            assertThat(errors).containsKey("database.hostname");
            assertThat(errors.get("database.hostname").toString())
                    .contains("wal_level=replica")
                    .contains("ALTER SYSTEM SET wal_level = logical");
            Http.Response created = http.post("/connectors", Http.json(Map.of("name", "pre-cdc", "config", c)));
            created.isError(400);
            assertThat(created.text()).contains("wal_level=replica");
        } finally {
            replicaOnly.close();
        }
    }
}
