/** S3 sink connector. Depends on connect-api only. */
package io.sluice.connect.s3;
