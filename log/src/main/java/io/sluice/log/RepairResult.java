package io.sluice.log;

import java.nio.file.Path;

/**
 * What repairing one {@link DamagedRange} by truncation dropped. Immutable.
 *
 * @param file the segment file cut (or deleted, when its header was damaged)
 * @param position where it was cut
 * @param fromOffset first offset dropped
 * @param toOffset offset after the last one dropped; records from here on are untouched
 * @param bytesDropped bytes removed from the file
 * @param fileDeleted whether the whole file was removed
 */
public record RepairResult(
        Path file, long position, long fromOffset, long toOffset, long bytesDropped, boolean fileDeleted) {

    /** How many offsets are now a gap: fetches skip from {@code fromOffset} to {@code toOffset}. */
    public long offsetsDropped() {
        return toOffset - fromOffset;
    }
}
