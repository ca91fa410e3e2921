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
 */
public record SnapshotInfo(
        String connector,
        boolean running,
        boolean completed,
        boolean aborted,
        int totalTables,
        int remainingTables,
        Map<String, Long> rowsScanned,
        long durationSeconds) {

    public SnapshotInfo {
        rowsScanned = Map.copyOf(rowsScanned);
    }

    public long rowsTotal() {
        return rowsScanned.values().stream().mapToLong(Long::longValue).sum();
    }
}
