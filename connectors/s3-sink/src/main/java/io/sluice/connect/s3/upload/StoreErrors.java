package io.sluice.connect.s3.upload;

import java.util.Optional;
import org.apache.kafka.connect.errors.ConnectException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Tells failures that retrying cannot fix (the bucket does not exist, the credentials are wrong or
 * lack a permission, the bucket is in another region) from those that pass (the store is down or
 * throttling, a network error). A permanent failure becomes an exception whose message names the
 * cause, the setting to look at and the fix, so the task fails with it instead of retrying forever.
 * Stateless.
 */
public final class StoreErrors {

    private StoreErrors() {}

    /** A failure of the store that retrying cannot fix; it fails the task. */
    public static final class PermanentStoreException extends ConnectException {
        public PermanentStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code failure} as a permanent failure naming its cause and fix, or empty if it may pass. */
    public static Optional<PermanentStoreException> permanent(RuntimeException failure, String bucket) {
        if (failure instanceof PermanentStoreException p) {
            return Optional.of(p);
        }
        if (!(failure instanceof AwsServiceException aws)) {
            return Optional.empty();
        }
        String code =
                aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
        int status = aws.statusCode();
        String message;
        if (failure instanceof NoSuchBucketException || "NoSuchBucket".equals(code)) {
            message = "S3 bucket '" + bucket + "' does not exist (NoSuchBucket): create it, or fix s3.bucket.name"
                    + " (and store.url if it points at the wrong store)";
        } else if ("SignatureDoesNotMatch".equals(code)) {
            message = "S3 refused the request signature (SignatureDoesNotMatch): aws.secret.access.key is wrong"
                    + " for aws.access.key.id; set the secret that belongs to that key";
        } else if ("InvalidAccessKeyId".equals(code)) {
            message = "S3 does not know the access key (InvalidAccessKeyId): fix aws.access.key.id";
        } else if ("PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code) || status == 301) {
            message = "S3 bucket '" + bucket + "' is in another region (" + code + "): set s3.region to the"
                    + " bucket's region";
        } else if ("AccessDenied".equals(code) || "AllAccessDisabled".equals(code) || status == 403) {
            message = "S3 denied access to bucket '" + bucket + "' (" + (code == null ? "HTTP 403" : code)
                    + "): check aws.access.key.id and aws.secret.access.key, and grant that key s3:PutObject"
                    + " (and s3:AbortMultipartUpload) on the bucket";
        } else {
            return Optional.empty();
        }
        return Optional.of(new PermanentStoreException(message, failure));
    }
}
