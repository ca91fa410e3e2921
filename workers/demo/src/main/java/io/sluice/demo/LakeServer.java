package io.sluice.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The demo's S3 API server: s3proxy on 127.0.0.1 with SigV2/SigV4 authentication (a random secret
 * per run), its objects in files below a folder of the demo, one bucket. Also reads the bucket
 * back for the progress line, straight from the store.
 *
 * <p>{@link #objects()} is called from one thread at a time; the rest is thread-safe.
 */
final class LakeServer implements AutoCloseable {

    static final String BUCKET = "lake";
    static final String REGION = "us-east-1";
    static final String ACCESS_KEY = "sluice-demo";

    /** An object of the bucket with its number of JSON lines. */
    record LakeObject(String key, long size, long records) {}

    /**
     * The S3 API server writes an object under {@code <key>-<uuid>} and renames it into place when
     * complete; a listing during the upload shows that temporary name.
     */
    private static final java.util.regex.Pattern IN_PROGRESS =
            java.util.regex.Pattern.compile("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private final BlobStore store;
    private final S3Proxy proxy;
    private final String secretKey;
    private final Map<String, LakeObject> seen = new HashMap<>();

    private LakeServer(BlobStore store, S3Proxy proxy, String secretKey) {
        this.store = store;
        this.proxy = proxy;
        this.secretKey = secretKey;
    }

    /** Starts the server on {@code port} (0: a free one) with an empty bucket; blocks until it serves. */
    static LakeServer start(Path folder, int port) throws Exception {
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        java.nio.file.Files.createDirectories(folder);
        BlobStore store = new FilesystemNio2BlobStore(folder.toAbsolutePath().toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, secret)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "The S3 API server cannot listen on 127.0.0.1:" + port
                            + (port == 0 ? "" : " (is the port in use? pass --s3-port=<another port> or 0)"),
                    e);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline || "FAILED".equals(proxy.getState())) {
                throw new IllegalStateException("The S3 API server did not start: state " + proxy.getState());
            }
            Thread.sleep(10);
        }
        store.createContainer(BUCKET);
        return new LakeServer(store, proxy, secret);
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    DemoPipeline.Bucket coordinates() {
        return new DemoPipeline.Bucket(endpoint(), BUCKET, REGION, ACCESS_KEY, secretKey);
    }

    /**
     * Every object of the bucket in key order; an object is read once (to count its lines) and
     * again only if its size changes (rewritten after a crash, with the same contents).
     */
    List<LakeObject> objects() throws IOException {
        List<LakeObject> objects = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Request.Builder request =
                    ListObjectsV2Request.builder().bucket(BUCKET);
            if (token != null) {
                request.continuationToken(token);
            }
            ListObjectsV2Response page = store.list(request.build());
            for (S3Object o : page.contents()) {
                if (IN_PROGRESS.matcher(o.key()).find()) {
                    continue; // the server's temporary name of an upload still being written
                }
                LakeObject known = seen.get(o.key());
                if (known == null || known.size() != o.size()) {
                    Long lines = linesIfPresent(o.key());
                    if (lines == null) {
                        continue; // renamed or removed since the listing: seen at the next one
                    }
                    known = new LakeObject(o.key(), o.size(), lines);
                    seen.put(o.key(), known);
                }
                objects.add(known);
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return objects;
    }

    private Long linesIfPresent(String key) throws IOException {
        try {
            return lines(key);
        } catch (software.amazon.awssdk.awscore.exception.AwsServiceException e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private long lines(String key) throws IOException {
        long lines = 0;
        try (InputStream in = store.getBlob(BUCKET, key)) {
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            store.close();
        }
    }
}
