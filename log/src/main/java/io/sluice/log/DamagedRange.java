package io.sluice.log;

import java.nio.file.Path;

/**
 * A range of a partition that cannot be read because a closed segment file is damaged. The records
 * before it and the segments after it stay readable; a fetch that reaches it fails with {@link
 * PartitionDamagedException}. Immutable.
 *
 * @param file the damaged segment file
 * @param position where the damage starts in the file: the first byte of the first unreadable batch,
 *     or 0 when the segment header itself is damaged (then the whole file is unreadable)
 * @param fromOffset the first offset that cannot be read
 * @param toOffset the offset after the range: the base of the next segment
 * @param bytes the bytes of the file from {@code position} to its end
 * @param reason what the check found, for example a CRC mismatch
 */
public record DamagedRange(Path file, long position, long fromOffset, long toOffset, long bytes, String reason) {

    /** True when {@code offset} falls in the range. */
    public boolean covers(long offset) {
        return offset >= fromOffset && offset < toOffset;
    }

    /** One line naming the file, position and offset range, for errors and logs. */
    public String describe() {
        return "offsets " + fromOffset + ".." + (toOffset - 1) + " are unreadable: " + file + " is damaged from"
                + " position " + position + " (" + bytes + " bytes): " + reason;
    }
}
