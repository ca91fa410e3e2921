/**
 * Test fixtures of the S3 sink, published in the {@code sluice-s3-sink} test-jar: {@link
 * io.sluice.testing.S3Fixture} starts a real S3 API server (s3proxy) in-process on 127.0.0.1.
 *
 * <p>A test-jar carries no dependencies: a module using it declares, with {@code
 * <scope>test</scope>}: {@code io.sluice:sluice-s3-sink} (type test-jar), {@code org.gaul:s3proxy},
 * {@code software.amazon.awssdk:s3}. Depends on s3proxy and the AWS SDK only, not on production code.
 */
package io.sluice.testing;
