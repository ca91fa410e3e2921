package io.sluice.core.hub;

import java.util.List;

/**
 * A page of records read from one partition. Immutable.
 *
 * @param nextOffset where the next page starts
 * @param endOffset the partition's end offset when read
 */
public record PartitionRecords(
        String topic, int partition, long logStartOffset, long endOffset, long nextOffset, List<RecordView> records) {

    public PartitionRecords {
        records = List.copyOf(records);
    }
}
