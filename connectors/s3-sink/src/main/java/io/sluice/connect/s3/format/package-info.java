/**
 * Object formats: JSON lines (optionally gzip) and Parquet, each writing one object in memory
 * through an {@link io.sluice.connect.s3.format.ObjectWriter}. Depends on connect-api,
 * parquet-hadoop (with the few Hadoop classes it loads) and {@code io.sluice.connect.s3.upload}'s
 * buffer.
 */
package io.sluice.connect.s3.format;
