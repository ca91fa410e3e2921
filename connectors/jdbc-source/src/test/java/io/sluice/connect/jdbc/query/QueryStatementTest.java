package io.sluice.connect.jdbc.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.connect.jdbc.JdbcSourceConfig.Mode;
import io.sluice.connect.jdbc.table.TableId;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryStatementTest {

    private static final TableId ITEMS = new TableId("public", "items");

    @Test
    void eachModeSelectsAfterItsOffsetInOrder() {
        assertThat(sql(Mode.BULK, List.of("ts"))).isEqualTo("SELECT * FROM \"public\".\"items\"");
        assertThat(sql(Mode.INCREMENTING, List.of("ts")))
                .isEqualTo("SELECT * FROM \"public\".\"items\" WHERE \"id\" > ? ORDER BY \"id\" ASC");
        assertThat(sql(Mode.TIMESTAMP, List.of("ts")))
                .isEqualTo("SELECT * FROM \"public\".\"items\" WHERE \"ts\" > ? AND \"ts\" < ? ORDER BY \"ts\" ASC");
        assertThat(sql(Mode.TIMESTAMP_INCREMENTING, List.of("modified", "created")))
                .isEqualTo("SELECT * FROM \"public\".\"items\" WHERE COALESCE(\"modified\", \"created\") < ? AND "
                        + "((COALESCE(\"modified\", \"created\") = ? AND \"id\" > ?) OR COALESCE(\"modified\", \"created\") > ?)"
                        + " ORDER BY COALESCE(\"modified\", \"created\"), \"id\" ASC");
    }

    @Test
    void customQueryIsWrappedForIncrementalModesOnly() {
        assertThat(QueryStatement.forSource(Mode.BULK, null, "SELECT a FROM t", "id", List.of(), "\"")
                        .sql())
                .isEqualTo("SELECT a FROM t");
        assertThat(QueryStatement.forSource(Mode.INCREMENTING, null, "SELECT id FROM t WHERE x", "id", List.of(), "\"")
                        .sql())
                .isEqualTo(
                        "SELECT * FROM (SELECT id FROM t WHERE x) sluice_query WHERE \"id\" > ? ORDER BY \"id\" ASC");
    }

    @Test
    void offsetsKeepNanosecondsAndSurviveJsonNumberTypes() {
        Timestamp ts = new Timestamp(1_700_000_000_123L);
        ts.setNanos(123_456_000);
        QueryOffset offset = new QueryOffset(42L, ts);
        Map<String, Object> map = offset.toMap();
        assertThat(map)
                .containsEntry("incrementing", 42L)
                .containsEntry("timestamp", 1_700_000_000_123L)
                .containsEntry("timestamp_nanos", 123_456_000L);
        assertThat(QueryOffset.fromMap(
                        Map.of("incrementing", 42, "timestamp", 1_700_000_000_123L, "timestamp_nanos", 123_456_000)))
                .isEqualTo(offset);
        assertThat(QueryOffset.fromMap(null)).isEqualTo(new QueryOffset(null, null));
    }

    private static String sql(Mode mode, List<String> ts) {
        return QueryStatement.forSource(mode, ITEMS, "", "id", ts, "\"").sql();
    }
}
