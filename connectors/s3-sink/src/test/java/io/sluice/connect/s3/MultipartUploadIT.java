package io.sluice.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.S3Fixture;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

class MultipartUploadIT {

    private static final int RECORDS = 30_000; // ~10 MB of JSON: two 5 MiB parts

    private final S3Fixture s3 = SinkHarness.s3();
    private final TopicPartition tp = new TopicPartition("orders", 0);

    @Test
    void shouldAbortAFailedMultipartUploadLeavingNoPartialObjectThenUploadItWhole() {
        String bucket = s3.createBucket("multipart");
        try (SinkHarness sink = new SinkHarness(
                SinkHarness.props(
                        s3,
                        bucket,
                        "flush.size",
                        Integer.toString(RECORDS),
                        "s3.part.size",
                        "5242880",
                        "s3.part.retries",
                        "1"),
                Set.of(tp))) {
            s3.failPartUploads(true);
            try {
                sink.put(TestRecords.orders("orders", 0, 0, RECORDS));

                assertThat(s3.keys(bucket)).isEmpty();
                assertThat(s3.pendingMultipartUploads(bucket)).isEmpty();
                assertThat(sink.commit()).containsEntry(tp, 0L);
                assertThatThrownBy(() -> sink.put(TestRecords.orders("orders", 0, RECORDS, RECORDS + 1)))
                        .isInstanceOf(RetriableException.class);
                assertThat(sink.context.timeoutMs).isPositive();
            } finally {
                s3.failPartUploads(false);
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> sink.commit().get(tp) == RECORDS);
            List<String> keys = s3.keys(bucket);
            assertThat(keys).containsExactly("topics/orders/partition=0/orders+0+0000000000.json");
            byte[] object = s3.readAll(bucket).get(keys.get(0));
            assertThat(object.length).isGreaterThan(5 * 1024 * 1024);
            assertThat(ObjectContents.jsonLines(object, false)).hasSize(RECORDS);
            assertThat(s3.pendingMultipartUploads(bucket)).isEmpty();
        }
    }
}
