package io.sluice.core.hub;

import java.util.List;

/**
 * What a repair of a damaged partition did. Immutable.
 *
 * @param mode how it was repaired
 * @param dropped one entry per damaged range removed (or, for {@link Mode#RECOPY}, rewritten)
 */
public record PartitionRepair(String topic, int partition, Mode mode, List<Dropped> dropped) {

    public PartitionRepair {
        dropped = List.copyOf(dropped);
    }

    /** How a damaged partition is repaired. */
    public enum Mode {
        /**
         * Keep what precedes each damaged range and what follows it; drop the range (its offsets become a
         * gap that reads skip).
         */
        TRUNCATE,
        /**
         * Copy each damaged range back from a healthy replica (a replicated topic in a cluster only):
         * nothing is dropped ({@code offsets_dropped} 0; {@code bytes_dropped} counts the damaged bytes
         * replaced).
         */
        RECOPY
    }

    /**
     * One damaged range dropped: offsets {@code fromOffset} up to (not including) {@code toOffset}, and
     * {@code bytesDropped} bytes of {@code file} from {@code position} (the whole file when {@code
     * fileDeleted}).
     */
    public record Dropped(
            String file,
            long position,
            long fromOffset,
            long toOffset,
            long offsetsDropped,
            long bytesDropped,
            boolean fileDeleted) {}

    /** Offsets dropped over every range. */
    public long offsetsDropped() {
        return dropped.stream().mapToLong(Dropped::offsetsDropped).sum();
    }

    /** Bytes dropped over every range. */
    public long bytesDropped() {
        return dropped.stream().mapToLong(Dropped::bytesDropped).sum();
    }
}
