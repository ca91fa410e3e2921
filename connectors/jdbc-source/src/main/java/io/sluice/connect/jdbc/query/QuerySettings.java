package io.sluice.connect.jdbc.query;

import io.sluice.connect.jdbc.JdbcSourceConfig;
import io.sluice.connect.jdbc.JdbcSourceConfig.Mode;
import io.sluice.connect.jdbc.schema.ColumnMapping;
import java.time.ZoneId;
import java.util.List;

/** What every querier of one task shares, read once from the task's config. Immutable. */
public record QuerySettings(
        Mode mode,
        String incrementingColumn,
        List<String> timestampColumns,
        long timestampDelayMs,
        Long timestampInitial,
        boolean validateNonNull,
        String topicPrefix,
        String customQuery,
        ZoneId dbZone,
        ColumnMapping mapping) {

    public static QuerySettings from(JdbcSourceConfig config) {
        return new QuerySettings(
                config.mode(),
                config.incrementingColumn(),
                config.timestampColumns(),
                config.getLong(JdbcSourceConfig.TIMESTAMP_DELAY_INTERVAL_MS),
                config.getLong(JdbcSourceConfig.TIMESTAMP_INITIAL),
                config.getBoolean(JdbcSourceConfig.VALIDATE_NON_NULL),
                config.topicPrefix(),
                config.query(),
                config.dbTimeZone(),
                new ColumnMapping(config.numericMapping(), config.dbTimeZone(), config.unsupportedColumnBehavior()));
    }
}
