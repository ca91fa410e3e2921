/**
 * The S3 sink connector: {@link io.sluice.connect.s3.S3SinkConnector}, its task and its settings
 * ({@link io.sluice.connect.s3.S3SinkConfig}). Depends on connect-api and this module's format,
 * partition, upload and write packages; the same jar runs on Kafka Connect.
 */
package io.sluice.connect.s3;
