package io.sluice.connect.jdbc.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Measures how much WAL a logical replication slot keeps on the server, from
 * {@code pg_replication_slots}: the bytes between the server's current WAL position and the slot's
 * {@code restart_lsn} (WAL the server may not recycle) and its {@code confirmed_flush_lsn} (changes
 * not yet acknowledged by the consumer). A slot whose retained bytes only grow fills the disk; this
 * is the number to alert on.
 *
 * <p>Stateless and thread-safe; each {@link #measure} opens (and closes) one connection and blocks
 * for one query. Needs PostgreSQL 10 or later and a user allowed to read {@code pg_replication_slots}.
 */
public final class SlotLagProbe {

    /** One reading of a slot. */
    public record SlotLag(
            String slotName, boolean active, long retainedWalBytes, long unconfirmedBytes, String confirmedFlushLsn) {}

    private static final String QUERY = """
            SELECT active,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint,
                   confirmed_flush_lsn::text
            FROM pg_replication_slots WHERE slot_name = ?""";

    private final DataSource dataSource;

    public SlotLagProbe(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The slot's lag now, or empty if there is no slot of that name. */
    public Optional<SlotLag> measure(String slotName) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, slotName);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new SlotLag(slotName, rs.getBoolean(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
            }
        }
    }
}
