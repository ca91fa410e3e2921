package io.sluice.connect.s3.write;

/**
 * When a topic partition's open objects are closed and uploaded. {@code flushSize} records and
 * {@code rotateIntervalMs} of record time depend only on the records, so they cut the stream at the
 * same offsets on every run; {@code scheduleIntervalMs} (wall clock) and the buffer cap do not.
 *
 * @param flushSize records per topic partition before rotating
 * @param rotateIntervalMs record-time span of one set of objects; -1 for none
 * @param scheduleIntervalMs wall-clock boundaries at which open objects rotate; -1 for none
 */
public record Rotation(int flushSize, long rotateIntervalMs, long scheduleIntervalMs) {}
