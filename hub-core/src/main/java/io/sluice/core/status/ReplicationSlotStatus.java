package io.sluice.core.status;

import java.time.Instant;

/**
 * The last reading of a CDC connector's replication slot on its database: how much WAL it keeps the
 * server from recycling, and a warning once that passes the connector's threshold.
 *
 * @param slotName the slot's name on the server
 * @param active whether a task is reading from the slot now
 * @param retainedWalBytes WAL the server keeps for the slot (from its {@code restart_lsn})
 * @param unconfirmedBytes WAL not yet acknowledged by the connector (from its {@code confirmed_flush_lsn})
 * @param warnBytes the threshold above which {@code warning} is set
 * @param warning a sentence for operators when {@code retainedWalBytes > warnBytes}, else null
 * @param measuredAt when the reading was taken
 * @param lagSeconds seconds the connector's task is behind the database (now minus the source
 *     timestamp of the last change event it handed to the hub; 0 when idle and caught up), the
 *     largest over its tasks on this worker; null when none of them runs here
 */
public record ReplicationSlotStatus(
        String slotName,
        boolean active,
        long retainedWalBytes,
        long unconfirmedBytes,
        long warnBytes,
        String warning,
        Instant measuredAt,
        Double lagSeconds) {}
