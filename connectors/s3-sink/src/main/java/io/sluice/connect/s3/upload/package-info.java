/**
 * Getting objects into S3: the SDK client ({@link io.sluice.connect.s3.upload.S3ClientFactory}),
 * whole-object uploads with multipart and abort ({@link io.sluice.connect.s3.upload.ObjectUploader}),
 * the in-memory object bytes and the backoff between failed uploads. Depends on the AWS SDK v2.
 */
package io.sluice.connect.s3.upload;
