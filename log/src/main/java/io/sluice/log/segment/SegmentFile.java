package io.sluice.log.segment;

import io.sluice.log.format.SegmentHeader;
import java.nio.file.Path;

/**
 * File names of a partition directory: {@code <20-digit base offset>.log} for segments, with
 * {@code .index} and {@code .timeindex} beside them; {@code .cleaned}, {@code .swap} and
 * {@code .deleted} suffixes mark the stages of compaction and deletion.
 */
public final class SegmentFile {

    public static final String LOG = ".log";
    public static final String INDEX = ".index";
    public static final String TIME_INDEX = ".timeindex";
    public static final String CLEANED = ".cleaned";
    public static final String SWAP = ".swap";
    public static final String DELETED = ".deleted";
    /** Position of the first batch in a segment file. */
    public static final int HEADER_END = SegmentHeader.SIZE;

    private SegmentFile() {}

    public static String baseName(long baseOffset) {
        return String.format("%020d", baseOffset);
    }

    public static Path log(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + LOG);
    }

    public static Path index(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + INDEX);
    }

    public static Path timeIndex(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + TIME_INDEX);
    }

    /** The base offset encoded in a file name like {@code 00000000000000000042.log}, or -1. */
    public static long parseBaseOffset(String fileName) {
        int dot = fileName.indexOf('.');
        if (dot != 20) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
