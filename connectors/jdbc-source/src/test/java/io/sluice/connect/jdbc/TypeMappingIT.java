package io.sluice.connect.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.connect.jdbc.schema.UnsupportedColumnException;
import io.sluice.connect.jdbc.testing.OffsetMemory;
import io.sluice.connect.jdbc.testing.SourceHarness;
import io.sluice.connect.jdbc.testing.Sql;
import io.sluice.testing.PostgresFixture;
import io.sluice.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every PostgreSQL type the source maps, with exact Connect schemas and values. */
class TypeMappingIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestDatabase db;

    @BeforeAll
    static void createTable() {
        db = PostgresFixture.shared().newDatabase();
        new Sql(db.dataSource())
                .run(
                        """
                CREATE TABLE types (
                  id int PRIMARY KEY,
                  c_smallint smallint, c_int integer NOT NULL, c_bigint bigint,
                  c_real real, c_double double precision,
                  c_numeric numeric(10,3), c_numeric_int numeric(5,0), c_numeric_free numeric,
                  c_bool boolean, c_text text, c_varchar varchar(20), c_char char(3), c_bytea bytea,
                  c_date date, c_time time, c_ts timestamp, c_tstz timestamptz,
                  c_uuid uuid, c_json json, c_jsonb jsonb, c_int_array int[], c_text_array text[])""",
                        """
                INSERT INTO types VALUES (1, 12, 345, 6789012345, 1.5, 2.25, 1234.567, 42, 3.14159, true,
                  'hello', 'v', 'ab', '\\x0102ff', '2024-02-29', '13:45:30.123', '2024-02-29 13:45:30.123',
                  '2024-02-29 13:45:30.123+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}',
                  '{"b": [1, 2]}', '{1,NULL,3}', '{x,y}')""",
                        "INSERT INTO types (id, c_int) VALUES (2, 0)",
                        "CREATE TABLE odd (id int PRIMARY KEY, span interval)",
                        "INSERT INTO odd VALUES (1, interval '1 day')");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static Map<String, String> props(String table, String... keyValues) {
        Map<String, String> props = new HashMap<>(Map.of(
                "connection.url",
                db.jdbcUrl(),
                "connection.user",
                db.user(),
                "connection.password",
                db.password() == null ? "" : db.password(),
                "topic.prefix",
                "t-",
                "mode",
                "bulk",
                "table.whitelist",
                table,
                "poll.interval.ms",
                "100",
                "db.timezone",
                "Europe/Paris"));
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    private static List<Struct> rows(Map<String, String> props, int count) throws InterruptedException {
        try (SourceHarness harness = new SourceHarness(new JdbcSourceConnector(), props, new OffsetMemory()).start(1)) {
            return harness.pollAtLeast(count, WAIT).stream()
                    .limit(count)
                    .map(r -> (Struct) r.value())
                    .toList();
        }
    }

    @Test
    void everyTypeMapsToItsConnectSchemaAndValue() throws Exception {
        List<Struct> rows = rows(props("types"), 2);
        Struct row = rows.get(0);
        Schema schema = row.schema();

        Map<String, Schema> expected = new java.util.LinkedHashMap<>();
        expected.put("id", Schema.INT32_SCHEMA);
        expected.put("c_smallint", Schema.OPTIONAL_INT16_SCHEMA);
        expected.put("c_int", Schema.INT32_SCHEMA);
        expected.put("c_bigint", Schema.OPTIONAL_INT64_SCHEMA);
        expected.put("c_real", Schema.OPTIONAL_FLOAT32_SCHEMA);
        expected.put("c_double", Schema.OPTIONAL_FLOAT64_SCHEMA);
        expected.put("c_numeric", decimal(3, 10));
        expected.put("c_numeric_int", decimal(0, 5));
        expected.put("c_numeric_free", Schema.OPTIONAL_STRING_SCHEMA);
        expected.put("c_bool", Schema.OPTIONAL_BOOLEAN_SCHEMA);
        expected.put("c_text", Schema.OPTIONAL_STRING_SCHEMA);
        expected.put("c_varchar", Schema.OPTIONAL_STRING_SCHEMA);
        expected.put("c_char", Schema.OPTIONAL_STRING_SCHEMA);
        expected.put("c_bytea", Schema.OPTIONAL_BYTES_SCHEMA);
        expected.put("c_date", Date.builder().optional().build());
        expected.put("c_time", Time.builder().optional().build());
        expected.put("c_ts", Timestamp.builder().optional().build());
        expected.put("c_tstz", Timestamp.builder().optional().build());
        expected.put("c_uuid", Schema.OPTIONAL_STRING_SCHEMA);
        expected.put("c_json", Schema.OPTIONAL_STRING_SCHEMA);
        expected.put("c_jsonb", Schema.OPTIONAL_STRING_SCHEMA);
        expected.put(
                "c_int_array",
                SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build());
        expected.put(
                "c_text_array",
                SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build());
        assertThat(schema.name()).isEqualTo("types");
        assertThat(schema.fields()).extracting(f -> f.name()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, fieldSchema) ->
                assertThat(schema.field(name).schema()).as(name).isEqualTo(fieldSchema));

        assertThat(row.get("id")).isEqualTo(1);
        assertThat(row.get("c_smallint")).isEqualTo((short) 12);
        assertThat(row.get("c_int")).isEqualTo(345);
        assertThat(row.get("c_bigint")).isEqualTo(6789012345L);
        assertThat(row.get("c_real")).isEqualTo(1.5f);
        assertThat(row.get("c_double")).isEqualTo(2.25d);
        assertThat(row.get("c_numeric")).isEqualTo(new BigDecimal("1234.567"));
        assertThat(row.get("c_numeric_int")).isEqualTo(new BigDecimal("42"));
        assertThat(row.get("c_numeric_free")).isEqualTo("3.14159");
        assertThat(row.get("c_bool")).isEqualTo(true);
        assertThat(row.get("c_text")).isEqualTo("hello");
        assertThat(row.get("c_varchar")).isEqualTo("v");
        assertThat(row.get("c_char")).isEqualTo("ab ");
        assertThat((byte[]) row.get("c_bytea")).containsExactly(1, 2, 0xff);
        assertThat(row.get("c_date"))
                .isEqualTo(new java.util.Date(LocalDate.of(2024, 2, 29).toEpochDay() * 86_400_000L));
        assertThat(row.get("c_time"))
                .isEqualTo(
                        new java.util.Date(LocalTime.of(13, 45, 30, 123_000_000).toNanoOfDay() / 1_000_000));
        // timestamp without zone, read in db.timezone (Paris, UTC+1 in February)
        assertThat(row.get("c_ts")).isEqualTo(java.util.Date.from(Instant.parse("2024-02-29T12:45:30.123Z")));
        // timestamptz is an instant whatever db.timezone says
        assertThat(row.get("c_tstz")).isEqualTo(java.util.Date.from(Instant.parse("2024-02-29T11:45:30.123Z")));
        assertThat(row.get("c_uuid")).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(row.get("c_json")).isEqualTo("{\"a\": 1}");
        assertThat(row.get("c_jsonb")).isEqualTo("{\"b\": [1, 2]}");
        assertThat(row.get("c_int_array")).isEqualTo(Arrays.asList(1, null, 3));
        assertThat(row.get("c_text_array")).isEqualTo(List.of("x", "y"));

        Struct nulls = rows.get(1);
        for (String name : expected.keySet()) {
            if (!name.equals("id") && !name.equals("c_int")) {
                assertThat(nulls.get(name)).as(name).isNull();
            }
        }
    }

    @Test
    void bestFitNumericMappingUsesPrimitivesWherePrecisionAllows() throws Exception {
        Struct row = rows(props("types", "numeric.mapping", "best_fit"), 1).get(0);
        assertThat(row.schema().field("c_numeric").schema()).isEqualTo(Schema.OPTIONAL_FLOAT64_SCHEMA);
        assertThat(row.get("c_numeric")).isEqualTo(1234.567d);
        assertThat(row.schema().field("c_numeric_int").schema()).isEqualTo(Schema.OPTIONAL_INT32_SCHEMA);
        assertThat(row.get("c_numeric_int")).isEqualTo(42);
        assertThat(row.schema().field("c_numeric_free").schema()).isEqualTo(Schema.OPTIONAL_FLOAT64_SCHEMA);
        assertThat(row.get("c_numeric_free")).isEqualTo(3.14159d);
        Struct precisionOnly =
                rows(props("types", "numeric.mapping", "precision_only"), 1).get(0);
        assertThat(precisionOnly.get("c_numeric")).isEqualTo(new BigDecimal("1234.567"));
        assertThat(precisionOnly.get("c_numeric_int")).isEqualTo(42);
    }

    @Test
    void unsupportedColumnFailsNamingTableAndColumnOrIsSkippedWhenConfigured() throws Exception {
        assertThatThrownBy(() -> rows(props("odd"), 1))
                .isInstanceOf(UnsupportedColumnException.class)
                .hasMessageContaining("span")
                .hasMessageContaining("odd")
                .hasMessageContaining("interval");
        Struct row =
                rows(props("odd", "unsupported.column.behavior", "skip"), 1).get(0);
        assertThat(row.schema().fields()).extracting(f -> f.name()).containsExactly("id");
    }

    private static Schema decimal(int scale, int precision) {
        return Decimal.builder(scale)
                .parameter("connect.decimal.precision", Integer.toString(precision))
                .optional()
                .build();
    }
}
