package io.sluice.core.hub;

/**
 * How far one sink task is behind on one partition: records in the log it has not written yet (end
 * offset minus committed offset; records it buffered, such as an open S3 object, count until they
 * are committed) and the age of the oldest of them. Immutable.
 */
public record PartitionLag(int task, String topic, int partition, long records, double oldestUnwrittenAgeSeconds) {}
