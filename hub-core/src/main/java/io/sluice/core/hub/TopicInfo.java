package io.sluice.core.hub;

import java.util.List;

/** A topic of the log with its partitions, in partition order. Immutable. */
public record TopicInfo(String name, boolean internal, List<PartitionInfo> partitions) {

    public TopicInfo {
        partitions = List.copyOf(partitions);
    }

    /** The bytes on disk across all partitions (those of known size). */
    public long sizeInBytes() {
        return partitions.stream()
                .mapToLong(PartitionInfo::sizeInBytes)
                .filter(size -> size > 0)
                .sum();
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
     * @param placement in a cluster, where the partition is replicated and whether it can be read now;
     *     {@code null} for a topic of the answering worker's own log (a single worker, internal topics)
     */
    public record PartitionInfo(
            int partition,
            long logStartOffset,
            long endOffset,
            long sizeInBytes,
            State state,
            List<Damage> damage,
            String offlineReason,
            Placement placement) {

        public PartitionInfo {
            damage = List.copyOf(damage);
        }

        /** A partition of the answering worker's own log. */
        public PartitionInfo(
                int partition,
                long logStartOffset,
                long endOffset,
                long sizeInBytes,
                State state,
                List<Damage> damage,
                String offlineReason) {
            this(partition, logStartOffset, endOffset, sizeInBytes, state, damage, offlineReason, null);
        }

        /** A readable partition with no damage. */
        public PartitionInfo(int partition, long logStartOffset, long endOffset, long sizeInBytes) {
            this(partition, logStartOffset, endOffset, sizeInBytes, State.ONLINE, List.of(), null);
        }
    }

    /**
     * Where a replicated partition lives, as the cluster's metadata and the partition's Raft group say,
     * the same on every worker. Immutable.
     *
     * @param leader the node id of the partition's leader, {@code null} when it has none now
     * @param replicas the node ids holding a replica, in placement order (the first is the preferred
     *     leader)
     * @param unreachable the replicas that did not answer the worker asked
     * @param available whether the partition's offsets and records can be read now (through its leader);
     *     when not, the partition's offsets and size are -1 (unknown)
     * @param reason why it cannot be read, when not available; else {@code null}
     */
    public record Placement(
            String leader, List<String> replicas, List<String> unreachable, boolean available, String reason) {

        public Placement {
            replicas = List.copyOf(replicas);
            unreachable = List.copyOf(unreachable);
        }
    }

    /**
     * A damaged range of a partition: offsets {@code fromOffset} up to (not including) {@code toOffset}
     * cannot be read because {@code file} is damaged from {@code position} on. Immutable.
     */
    public record Damage(String file, long position, long fromOffset, long toOffset, long bytes, String reason) {}
}
