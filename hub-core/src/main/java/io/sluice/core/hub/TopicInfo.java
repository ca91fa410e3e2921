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

    /**
     * One partition's offsets and size. Immutable.
     *
     * @param logStartOffset the first offset still stored
     * @param endOffset the offset the next record will get (the high watermark: readable records end
     *     before it)
     */
    public record PartitionInfo(int partition, long logStartOffset, long endOffset, long sizeInBytes) {}
}
