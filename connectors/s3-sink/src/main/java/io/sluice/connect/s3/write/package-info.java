/**
 * From records to uploaded objects for one topic partition: open objects, rotation, sealed batches
 * waiting for upload, and the committable offset that makes the sink exactly-once. Depends on the
 * format, partition and upload packages.
 */
package io.sluice.connect.s3.write;
