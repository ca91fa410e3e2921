package io.sluice.connect.jdbc.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Drops what a deleted Postgres CDC connector leaves on the server: its logical replication slot
 * (which otherwise keeps WAL forever) and its publication. Connect gives a connector no "deleted"
 * callback (only {@code stop()}, also called on every restart and rebalance), and Debezium's
 * {@code slot.drop.on.stop=true} would drop the slot on each of those, losing changes; so the hub
 * calls this when a user deletes the connector.
 *
 * <p>Stateless; blocks on the database. Idempotent: what is already gone is skipped.
 */
public final class ReplicationCleanup {

    /** What {@link #dropSlotAndPublication} found and dropped. */
    public record Result(boolean slotDropped, boolean publicationDropped) {}

    private final DataSource dataSource;

    public ReplicationCleanup(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Drops {@code slotName} (server-wide) and {@code publicationName} (in the data source's database).
     *
     * @throws SQLException if the slot is still in use (the connector's task still runs) or the user
     *     may not drop them
     */
    public Result dropSlotAndPublication(String slotName, String publicationName) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean slotDropped;
            try (PreparedStatement drop = connection.prepareStatement(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                drop.setString(1, slotName);
                try (ResultSet rs = drop.executeQuery()) {
                    slotDropped = rs.next();
                }
            }
            boolean publicationDropped;
            try (PreparedStatement exists =
                    connection.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
                exists.setString(1, publicationName);
                try (ResultSet rs = exists.executeQuery()) {
                    publicationDropped = rs.next();
                }
            }
            if (publicationDropped) {
                try (Statement drop = connection.createStatement()) {
                    drop.execute("DROP PUBLICATION IF EXISTS \"" + publicationName.replace("\"", "\"\"") + "\"");
                }
            }
            return new Result(slotDropped, publicationDropped);
        }
    }
}
