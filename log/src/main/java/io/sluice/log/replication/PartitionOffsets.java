package io.sluice.log.replication;

/**
 * A replicated partition's offsets and size as its leader holds them. Immutable.
 *
 * @param logStartOffset the first offset still stored
 * @param endOffset the high watermark: the offset the next record will get
 * @param sizeInBytes the bytes of the leader's replica on disk; -1 when the leader did not say (an older
 *     worker)
 */
public record PartitionOffsets(long logStartOffset, long endOffset, long sizeInBytes) {}
