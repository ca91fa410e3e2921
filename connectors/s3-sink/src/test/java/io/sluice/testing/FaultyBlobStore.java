package io.sluice.testing;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** A blob store that can be told to fail multipart part uploads (parts after the first). */
final class FaultyBlobStore extends ForwardingBlobStore {

    volatile boolean failParts;

    FaultyBlobStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(
            MultipartUpload upload, UploadPartRequest request, java.io.InputStream input) {
        if (failParts && request.partNumber() != null && request.partNumber() > 1) {
            throw new IllegalStateException("injected failure of part " + request.partNumber());
        }
        return super.uploadMultipartPart(upload, request, input);
    }
}
