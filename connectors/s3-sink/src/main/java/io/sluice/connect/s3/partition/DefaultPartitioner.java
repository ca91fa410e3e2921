package io.sluice.connect.s3.partition;

import org.apache.kafka.connect.sink.SinkRecord;

/** Folders by topic partition: {@code partition=<p>}, as Confluent's {@code DefaultPartitioner}. */
public record DefaultPartitioner() implements Partitioner {

    @Override
    public String encode(SinkRecord record, long timestamp) {
        return "partition=" + record.kafkaPartition();
    }
}
