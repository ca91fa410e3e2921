/**
 * Where a record's object goes: {@link io.sluice.connect.s3.partition.Partitioner}s (by topic
 * partition, by field, by time) and {@link io.sluice.connect.s3.partition.TimestampExtractor}s.
 * Depends on connect-api and the JDK only.
 */
package io.sluice.connect.s3.partition;
