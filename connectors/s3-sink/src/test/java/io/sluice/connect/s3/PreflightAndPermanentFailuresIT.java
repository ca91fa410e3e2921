package io.sluice.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.connect.s3.upload.StoreErrors;
import io.sluice.testing.S3Fixture;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/**
 * Against a real S3 API server: the connector's validation (what validate and create run) tries the
 * bucket and names the setting to fix for a missing bucket, a wrong secret, an unknown key and an
 * unreachable store, leaving nothing behind when all is well; and a task whose bucket goes away or
 * whose secret is wrong fails with that cause instead of retrying forever.
 */
class PreflightAndPermanentFailuresIT {

    private final S3Fixture s3 = SinkHarness.s3();
    private final TopicPartition tp = new TopicPartition("orders", 0);

    private static Map<String, String> errorsOf(Map<String, String> props) {
        return new S3SinkConnector()
                .validate(props).configValues().stream()
                        .filter(v -> !v.errorMessages().isEmpty())
                        .collect(Collectors.toMap(ConfigValue::name, v -> String.join("; ", v.errorMessages())));
    }

    private Map<String, String> props(String bucket, String... more) {
        Map<String, String> props = SinkHarness.props(s3, bucket, more);
        props.put("flush.size", "10");
        return props;
    }

    @Test
    void shouldAcceptAWritableBucketAndLeaveNothingInIt() {
        String bucket = s3.createBucket("preflight-ok");

        assertThat(errorsOf(props(bucket))).isEmpty();
        assertThat(s3.keys(bucket)).isEmpty();
    }

    @Test
    void shouldNameTheBucketWhenItDoesNotExist() {
        Map<String, String> errors = errorsOf(props("no-such-lake"));

        assertThat(errors).containsOnlyKeys("s3.bucket.name");
        assertThat(errors.get("s3.bucket.name"))
                .contains("'no-such-lake' does not exist (NoSuchBucket)")
                .contains("create it");
    }

    @Test
    void shouldNameTheSecretWhenItIsWrongWithoutShowingIt() {
        Map<String, String> errors =
                errorsOf(props(s3.createBucket("preflight-secret"), "aws.secret.access.key", "wrong-secret-123"));

        assertThat(errors).containsOnlyKeys("aws.secret.access.key");
        assertThat(errors.get("aws.secret.access.key"))
                .contains("SignatureDoesNotMatch")
                .doesNotContain("wrong-secret-123");
    }

    @Test
    void shouldNameTheAccessKeyWhenTheStoreDoesNotKnowIt() {
        Map<String, String> errors =
                errorsOf(props(s3.createBucket("preflight-key"), "aws.access.key.id", "unknown-key"));

        assertThat(errors).containsOnlyKeys("aws.access.key.id");
        assertThat(errors.get("aws.access.key.id")).contains("InvalidAccessKeyId");
    }

    @Test
    void shouldNameTheStoreUrlWhenNothingAnswersThere() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        Map<String, String> errors =
                errorsOf(props(s3.createBucket("preflight-url"), "store.url", "http://127.0.0.1:" + unused));

        assertThat(errors).containsOnlyKeys("store.url");
        assertThat(errors.get("store.url")).contains("cannot reach http://127.0.0.1:" + unused);
    }

    @Test
    void shouldFailTheTaskWhenTheBucketIsGoneInsteadOfRetrying() {
        String bucket = s3.createBucket("gone");
        try (SinkHarness sink = new SinkHarness(props(bucket), Set.of(tp))) {
            sink.put(TestRecords.orders("orders", 0, 0, 10));
            assertThat(s3.keys(bucket)).hasSize(1);
            s3.keys(bucket)
                    .forEach(k -> s3.client().deleteObject(b -> b.bucket(bucket).key(k)));
            s3.client().deleteBucket(b -> b.bucket(bucket));

            assertThatThrownBy(() -> sink.put(TestRecords.orders("orders", 0, 10, 20)))
                    .isInstanceOf(StoreErrors.PermanentStoreException.class)
                    .hasMessageContaining("'" + bucket + "' does not exist (NoSuchBucket)")
                    .hasMessageContaining("s3.bucket.name");
        }
    }

    @Test
    void shouldFailTheTaskWhenTheSecretIsWrong() {
        Map<String, String> props = new HashMap<>(props(s3.createBucket("denied")));
        props.put("aws.secret.access.key", "not-the-secret");
        try (SinkHarness sink = new SinkHarness(props, Set.of(tp))) {
            assertThatThrownBy(() -> sink.put(TestRecords.orders("orders", 0, 0, 10)))
                    .isInstanceOf(StoreErrors.PermanentStoreException.class)
                    .hasMessageContaining("SignatureDoesNotMatch")
                    .hasMessageContaining("aws.secret.access.key")
                    .hasMessageNotContaining("not-the-secret");
        }
    }
}
