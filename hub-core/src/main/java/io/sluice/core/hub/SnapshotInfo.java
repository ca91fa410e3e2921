package io.sluice.core.hub;

import java.util.Map;

/**
 * Progress of a CDC connector's initial snapshot, as its source reports it.
 *
 * @param running the snapshot is under way
 * @param completed the snapshot finished; streaming follows
 * @param aborted the snapshot was interrupted
 * @param totalTables tables the snapshot covers
 * @param remainingTables tables not yet read completely
 * @param rowsScanned rows read so far per table ({@code schema.table})
 * @param durationSeconds time spent so far
 * @param rowsEstimated estimated rows per captured table, from the database's statistics (empty when
 *     unknown); an estimate, so rows scanned may end above or below it
 */
public record SnapshotInfo(
        String connector,
        boolean running,
        boolean completed,
        boolean aborted,
        int totalTables,
        int remainingTables,
        Map<String, Long> rowsScanned,
        long durationSeconds,
        Map<String, Long> rowsEstimated) {

    public SnapshotInfo {
        rowsScanned = Map.copyOf(rowsScanned);
        rowsEstimated = Map.copyOf(rowsEstimated);
    }

    /** Estimated rows of all captured tables; -1 when unknown. */
    public long rowsEstimate() {
        return rowsEstimated.isEmpty()
                ? -1
                : rowsEstimated.values().stream().mapToLong(Long::longValue).sum();
    }

    public long rowsTotal() {
        return rowsScanned.values().stream().mapToLong(Long::longValue).sum();
    }
}
