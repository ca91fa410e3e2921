package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API server for tests: s3proxy in-process, bound to 127.0.0.1 on a free port, with
 * SigV2/SigV4 authentication and an in-memory (or on-disk) blob store. It can be stopped and
 * restarted on the same port with the same contents (an outage), and can be told to fail multipart
 * part uploads ({@link #failPartUploads}).
 *
 * <pre>{@code
 * try (S3Fixture s3 = S3Fixture.start()) {
 *     String bucket = s3.createBucket("lake");
 *     Map<String, String> props = s3.connectorSettings(bucket); // store.url, credentials, region
 *     ...
 *     Map<String, byte[]> objects = s3.readAll(bucket);
 * }
 * }</pre>
 *
 * <p>Modules using this class from the s3-sink test-jar declare {@code org.gaul:s3proxy} and
 * {@code software.amazon.awssdk:s3} (test scope) themselves. Starting takes a second or two.
 * Thread-safe.
 */
public final class S3Fixture implements AutoCloseable {

    public static final String ACCESS_KEY = "sluice-test-access";
    public static final String SECRET_KEY = "sluice-test-secret";
    public static final String REGION = "us-east-1";

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final Pattern PUT_IN_PROGRESS =
            Pattern.compile("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    private final FaultyBlobStore store;
    private final S3Client client;
    private volatile S3Proxy proxy;
    private volatile int port;

    private S3Fixture(BlobStore backing) throws Exception {
        this.store = new FaultyBlobStore(backing);
        this.proxy = startProxy(0);
        this.port = proxy.getPort();
        this.client = S3Client.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** A server with its objects in memory. */
    public static S3Fixture start() {
        return start(new TransientNio2BlobStore());
    }

    /** A server with its objects in files below {@code dir} (for volumes that do not fit in the heap). */
    public static S3Fixture start(Path dir) {
        return start(new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()));
    }

    private static S3Fixture start(BlobStore store) {
        try {
            return new S3Fixture(store);
        } catch (Exception e) {
            throw new IllegalStateException("could not start s3proxy", e);
        }
    }

    private S3Proxy startProxy(int onPort) throws Exception {
        S3Proxy p = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + onPort))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        p.start();
        while (!"STARTED".equals(p.getState())) {
            Thread.sleep(10);
        }
        return p;
    }

    /** The server's URL, e.g. {@code http://127.0.0.1:41234} (the same across {@link #restart}). */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A path-style client for the test's own reads and checks. */
    public S3Client client() {
        return client;
    }

    /** Creates a bucket with a unique name starting with {@code prefix}. */
    public String createBucket(String prefix) {
        String name = (prefix + "-" + BUCKETS.incrementAndGet()).toLowerCase();
        client.createBucket(b -> b.bucket(name));
        return name;
    }

    /** The S3 sink settings that reach this server: store.url, region, bucket and credentials. */
    public Map<String, String> connectorSettings(String bucket) {
        Map<String, String> props = new HashMap<>();
        props.put("s3.bucket.name", bucket);
        props.put("s3.region", REGION);
        props.put("store.url", endpoint());
        props.put("aws.access.key.id", ACCESS_KEY);
        props.put("aws.secret.access.key", SECRET_KEY);
        return props;
    }

    /**
     * Every object's key, sorted. s3proxy's nio2 stores (the in-memory one too) write a PUT to
     * {@code <key>-<uuid>}, rename it into place when complete, and list that temporary name
     * meanwhile; S3 never shows an object before its PUT completes, so those names are left out.
     */
    public List<String> keys(String bucket) {
        List<String> keys = new ArrayList<>();
        client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .filter(key -> !PUT_IN_PROGRESS.matcher(key).find())
                .forEach(keys::add);
        keys.sort(null);
        return keys;
    }

    /** Every object's bytes by key, sorted by key. */
    public Map<String, byte[]> readAll(String bucket) {
        Map<String, byte[]> objects = new TreeMap<>();
        for (String key : keys(bucket)) {
            objects.put(
                    key, client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        }
        return objects;
    }

    /** Multipart uploads started and neither completed nor aborted. */
    public List<MultipartUpload> pendingMultipartUploads(String bucket) {
        return client.listMultipartUploads(b -> b.bucket(bucket)).uploads();
    }

    /** While true, every multipart part after the first fails with a server error. */
    public void failPartUploads(boolean fail) {
        store.failParts = fail;
    }

    /** Stops answering: connections to the port are refused until {@link #restart}. Objects stay. */
    public void stop() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop s3proxy", e);
        }
    }

    /** Starts again on the same port with the same objects. */
    public void restart() {
        try {
            proxy = startProxy(port);
        } catch (Exception e) {
            throw new IllegalStateException("could not restart s3proxy on port " + port, e);
        }
    }

    @Override
    public void close() {
        client.close();
        try {
            proxy.stop();
        } catch (Exception e) {
            // already stopped
        }
        try {
            store.close();
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("could not close the blob store", e));
        }
    }
}
