package io.sluice.connect.s3.partition;

import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Decides the folder of a record's object below {@code topics.dir}: {@code <topic>/<encoded
 * partition>}. Must be a pure function of the record and its time (given by the task's {@link
 * TimestampExtractor}) so a replay after a crash puts every record in the same folder again.
 * Thread-safe.
 */
public sealed interface Partitioner permits DefaultPartitioner, FieldPartitioner, TimeBasedPartitioner {

    /** The encoded partition, e.g. {@code partition=3} or {@code year=2024/month=05}. */
    String encode(SinkRecord record, long timestamp);

    /** Whether {@link #encode} uses the timestamp (so the task must extract one per record). */
    default boolean usesTime() {
        return false;
    }
}
