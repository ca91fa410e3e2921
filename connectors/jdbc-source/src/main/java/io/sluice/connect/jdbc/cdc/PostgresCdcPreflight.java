package io.sluice.connect.jdbc.cdc;

import io.sluice.core.validation.Preflight;
import java.util.List;
import java.util.Map;

/**
 * The preflight of Debezium's Postgres connector ({@link PostgresPreflight}): its own validation
 * reports every connection problem on {@code database.hostname}; this one names the real cause
 * (authentication, database, permission, {@code wal_level}, missing table, slot in use) on the
 * setting to fix, and replaces Debezium's vaguer messages. Thread-safe.
 */
final class PostgresCdcPreflight implements Preflight {

    @Override
    public boolean appliesTo(String connectorClass) {
        return PostgresCdcExtension.isPostgresCdc(connectorClass);
    }

    @Override
    public Map<String, List<String>> check(Map<String, String> config) {
        return PostgresPreflight.check(config);
    }

    @Override
    public boolean supersedes(String setting, String message) {
        return (setting.equals(PostgresPreflight.HOSTNAME)
                        || setting.equals(PostgresPreflight.USER)
                        || setting.equals(PostgresPreflight.PASSWORD))
                && (message.startsWith("Error during connection validation")
                        || message.startsWith("Error while validating connector config")
                        || message.contains("LOGIN and REPLICATION"));
    }
}
