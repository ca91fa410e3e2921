package io.sluice.worker.task;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.utils.Utils;

/**
 * Picks a record's partition as Kafka's producer does: an explicit partition if the record names
 * one, else murmur2 of the serialized key, so equal keys always land in the same partition (and
 * keep their order); records without a key are spread round-robin. Thread-safe.
 */
final class RecordPartitioner {

    private final AtomicInteger next = new AtomicInteger();

    int partition(Integer requested, byte[] key, int partitions) {
        if (requested != null && requested >= 0) {
            if (requested >= partitions) {
                throw new IllegalArgumentException(
                        "record asks for partition " + requested + " but the topic has " + partitions);
            }
            return requested;
        }
        if (key == null) {
            return Utils.toPositive(next.getAndIncrement()) % partitions;
        }
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
