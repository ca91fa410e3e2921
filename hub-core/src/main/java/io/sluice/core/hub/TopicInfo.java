package io.sluice.core.hub;

import java.util.List;

/** A topic of the log with its partitions, in partition order. Immutable. */
public record TopicInfo(String name, boolean internal, List<PartitionInfo> partitions) {

    public TopicInfo {
        partitions = List.copyOf(partitions);
    }

    /** The bytes on disk across all partitions. */
    public long sizeInBytes() {
        return partitions.stream().mapToLong(PartitionInfo::sizeInBytes).sum();
    }

    /** Whether a partition can be read. */
    public enum State {
        /** every stored record can be read */
        ONLINE,
        /** records outside its {@linkplain PartitionInfo#damage() damaged ranges} can be read; appends continue */
        DAMAGED,
        /** nothing can be read or appended ({@linkplain PartitionInfo#offlineReason() reason}) */
        OFFLINE
    }

    /**
     * One partition's offsets, size and state. Immutable.
     *
     * @param logStartOffset the first offset still stored
     * @param endOffset the offset the next record will get (the high watermark: readable records end
     *     before it)
     * @param state whether it can be read
     * @param damage the damaged ranges when {@link State#DAMAGED}, in offset order; else empty
     * @param offlineReason why it is offline when {@link State#OFFLINE}; else {@code null}
     */
    public record PartitionInfo(
            int partition,
            long logStartOffset,
            long endOffset,
            long sizeInBytes,
            State state,
            List<Damage> damage,
            String offlineReason) {

        public PartitionInfo {
            damage = List.copyOf(damage);
        }

        /** A readable partition with no damage. */
        public PartitionInfo(int partition, long logStartOffset, long endOffset, long sizeInBytes) {
            this(partition, logStartOffset, endOffset, sizeInBytes, State.ONLINE, List.of(), null);
        }
    }

    /**
     * A damaged range of a partition: offsets {@code fromOffset} up to (not including) {@code toOffset}
     * cannot be read because {@code file} is damaged from {@code position} on. Immutable.
     */
    public record Damage(String file, long position, long fromOffset, long toOffset, long bytes, String reason) {}
}
