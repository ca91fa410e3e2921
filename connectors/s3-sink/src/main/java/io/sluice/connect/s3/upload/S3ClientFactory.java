package io.sluice.connect.s3.upload;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the synchronous S3 client of a task. */
public final class S3ClientFactory {

    private S3ClientFactory() {}

    /**
     * What the client needs. {@code secretAccessKey} is held only here and in the SDK's credentials
     * object; {@link #toString()} never shows it.
     */
    public record Settings(
            String region,
            String storeUrl,
            boolean pathStyle,
            String accessKeyId,
            String secretAccessKey,
            int retries,
            long backoffMs,
            long backoffMaxMs) {

        @Override
        public String toString() {
            return "Settings[region=" + region + ", storeUrl=" + storeUrl + ", pathStyle=" + pathStyle
                    + ", accessKeyId=" + accessKeyId + ", secretAccessKey=[hidden], retries=" + retries + "]";
        }
    }

    /**
     * A client for AWS or, with a store URL, for an S3-compatible store. Each request is retried by
     * the SDK's standard strategy ({@code retries} times, exponential backoff with jitter, throttling
     * included). Checksums are sent only where S3 requires them, which keeps older S3-compatible
     * stores working.
     */
    public static S3Client create(Settings settings) {
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(settings.pathStyle())
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.retries() + 1)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(
                                Duration.ofMillis(settings.backoffMs()), Duration.ofMillis(settings.backoffMaxMs())))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                                Duration.ofMillis(settings.backoffMs()), Duration.ofMillis(settings.backoffMaxMs())))
                        .build()));
        if (!settings.storeUrl().isBlank()) {
            builder.endpointOverride(URI.create(settings.storeUrl().trim()));
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(Settings settings) {
        if (settings.accessKeyId().isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    }
}
