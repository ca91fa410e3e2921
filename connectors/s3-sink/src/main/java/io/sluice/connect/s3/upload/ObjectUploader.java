package io.sluice.connect.s3.upload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads whole objects: one {@code PutObject} up to the part size, a multipart upload above it.
 * S3 makes an object visible only when its {@code PutObject} or {@code CompleteMultipartUpload}
 * succeeds, so a reader never sees part of an object. A multipart upload that fails is aborted, so
 * no parts are left behind (if the abort itself fails, a bucket lifecycle rule for incomplete
 * multipart uploads is the safety net; the failure is logged at WARN).
 *
 * <p>Each request is retried by the SDK's retry strategy (see {@link S3ClientFactory}); a failure
 * that survives those retries is thrown as the SDK's exception and the caller retries the whole
 * object later. Uploading the same key again replaces the object, which is what makes retries and
 * replays after a crash idempotent. Blocking; thread-safe.
 */
public final class ObjectUploader {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectUploader.class);

    private final S3Client s3;
    private final String bucket;
    private final long partSize;
    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong uploadedBytes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public ObjectUploader(S3Client s3, String bucket, long partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    /**
     * Uploads {@code body} as {@code key}, replacing any object of that name.
     *
     * @throws StoreErrors.PermanentStoreException when retrying cannot help (missing bucket, wrong
     *     credentials, no permission); other exceptions may pass on a later attempt
     */
    public void upload(String key, ObjectBuffer body, String contentType) {
        try {
            uploadOnce(key, body, contentType);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            throw StoreErrors.permanent(e, bucket)
                    .map(RuntimeException.class::cast)
                    .orElse(e);
        }
        uploads.incrementAndGet();
        uploadedBytes.addAndGet(body.size());
    }

    /** Objects uploaded since start. */
    public long uploads() {
        return uploads.get();
    }

    /** Bytes of the objects uploaded since start. */
    public long uploadedBytes() {
        return uploadedBytes.get();
    }

    /** Upload attempts that failed (after the SDK's own retries) since start. */
    public long failures() {
        return failures.get();
    }

    private void uploadOnce(String key, ObjectBuffer body, String contentType) {
        long size = body.size();
        if (size <= partSize) {
            s3.putObject(
                    b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(size),
                    RequestBody.fromContentProvider(() -> body.open(0, size), size, contentType));
        } else {
            uploadInParts(key, body, contentType);
        }
    }

    private void uploadInParts(String key, ObjectBuffer body, String contentType) {
        String uploadId = s3.createMultipartUpload(
                        b -> b.bucket(bucket).key(key).contentType(contentType))
                .uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long size = body.size();
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                long start = offset;
                long length = Math.min(partSize, size - offset);
                int partNumber = number;
                String etag = s3.uploadPart(
                                b -> b.bucket(bucket)
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(partNumber)
                                        .contentLength(length),
                                RequestBody.fromContentProvider(
                                        () -> body.open(start, length), length, "application/octet-stream"))
                        .eTag();
                parts.add(CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(etag)
                        .build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(
                            CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (RuntimeException e) {
            abort(key, uploadId, e);
            throw e;
        }
    }

    private void abort(String key, String uploadId, RuntimeException cause) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.warn(
                    "Could not abort multipart upload {} of s3://{}/{}; its parts stay until a lifecycle rule removes them",
                    uploadId,
                    bucket,
                    key);
        }
    }
}
