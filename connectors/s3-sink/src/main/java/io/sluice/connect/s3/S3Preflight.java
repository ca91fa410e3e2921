package io.sluice.connect.s3;

import io.sluice.connect.s3.upload.S3ClientFactory;
import io.sluice.connect.s3.upload.StoreErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checks before a task starts that the bucket can be written: the store answers, the bucket exists,
 * and the credentials may put (and delete) an object in it. It writes a small marker object under
 * {@code topics.dir} and deletes it again (a marker whose delete was denied stays; it is not data).
 * Each failure is reported on the setting to fix, with the fix. Blocking (a few requests, no SDK
 * retries); stateless.
 */
final class S3Preflight {

    private S3Preflight() {}

    /** Errors by setting; empty when the bucket can be written. */
    static Map<String, List<String>> check(S3SinkConfig config) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String bucket = config.bucket();
        try (S3Client s3 = S3ClientFactory.create(new S3ClientFactory.Settings(
                config.region(),
                config.storeUrl(),
                config.pathStyle(),
                config.accessKeyId(),
                config.secretAccessKey().value(),
                0,
                config.retryBackoffMs(),
                config.retryBackoffMaxMs()))) {
            String key = config.topicsDir() + "/.sluice-preflight-" + UUID.randomUUID();
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("sluice preflight: can write"));
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            } catch (RuntimeException deleteDenied) {
                // the sink never deletes; a marker left behind is harmless
            }
        } catch (SdkClientException e) {
            String where = config.storeUrl().isBlank() ? "S3 in region " + config.region() : config.storeUrl();
            errors.put(
                    config.storeUrl().isBlank() ? S3SinkConfig.REGION : S3SinkConfig.STORE_URL,
                    List.of("cannot reach " + where + " (" + e.getMessage() + "): check the address and that the"
                            + " store is up"));
        } catch (RuntimeException e) {
            Optional<StoreErrors.PermanentStoreException> known = StoreErrors.permanent(e, bucket);
            String message = known.map(RuntimeException::getMessage)
                    .orElse("writing a test object to bucket '" + bucket + "' failed: " + e.getMessage());
            errors.put(fieldOf(message), List.of(message));
        }
        return errors;
    }

    /** The setting a store error message tells the user to fix. */
    private static String fieldOf(String message) {
        if (message.contains("(NoSuchBucket)")) {
            return S3SinkConfig.BUCKET;
        }
        if (message.contains("(InvalidAccessKeyId)")) {
            return S3SinkConfig.ACCESS_KEY_ID;
        }
        if (message.contains("(SignatureDoesNotMatch)")) {
            return S3SinkConfig.SECRET_ACCESS_KEY;
        }
        if (message.contains("s3.region")) {
            return S3SinkConfig.REGION;
        }
        return S3SinkConfig.BUCKET;
    }
}
