package io.sluice.connect.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.S3Fixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * The S3 server goes away for 30 s in the middle of a stream (stopped, then restarted on the same
 * port with the same objects) while records keep coming. The task must stop taking records instead
 * of buffering them, then catch up: every record once, nothing lost.
 */
class StoreOutageIT {

    private static final int TOTAL = 5000;
    private static final int BATCH = 50;
    private static final int FLUSH_SIZE = 100;
    private static final long OUTAGE_MS = 30_000;

    private final TopicPartition tp = new TopicPartition("orders", 0);

    @Test
    void shouldStopTakingRecordsWhileTheStoreIsDownAndLoseNothing() throws InterruptedException {
        try (S3Fixture s3 = S3Fixture.start()) {
            String bucket = s3.createBucket("outage");
            Map<String, String> props = SinkHarness.props(s3, bucket, "flush.size", Integer.toString(FLUSH_SIZE));
            try (SinkHarness sink = new SinkHarness(props, Set.of(tp))) {
                long offset = 0;
                long stoppedAt = 0;
                long acceptedDuringOutage = 0;
                long peakBufferedDuringOutage = 0;
                int refusals = 0;
                boolean restarted = false;
                int iteration = 0;
                while (offset < TOTAL) {
                    if (offset >= 2000 && stoppedAt == 0) {
                        s3.stop();
                        stoppedAt = System.currentTimeMillis();
                    }
                    boolean down = stoppedAt > 0 && !restarted;
                    if (down && System.currentTimeMillis() - stoppedAt >= OUTAGE_MS) {
                        s3.restart();
                        restarted = true;
                        down = false;
                    }
                    List<SinkRecord> batch = TestRecords.orders("orders", 0, offset, offset + BATCH);
                    try {
                        sink.put(batch);
                        offset += BATCH;
                        if (down) {
                            acceptedDuringOutage += BATCH;
                        }
                    } catch (RetriableException e) {
                        // what a framework does: wait the task's timeout, then deliver the same batch again
                        refusals++;
                        Thread.sleep(Math.min(sink.context.timeoutMs, 500));
                    }
                    if (down) {
                        peakBufferedDuringOutage = Math.max(peakBufferedDuringOutage, sink.task.bufferedBytes());
                    }
                    if (++iteration % 5 == 0) {
                        sink.commit();
                    }
                }
                assertThat(restarted).isTrue();
                assertThat(refusals).isGreaterThan(10);
                // at most one rotation's worth plus one batch taken after the store went away
                assertThat(acceptedDuringOutage).isLessThanOrEqualTo(FLUSH_SIZE + BATCH);
                assertThat(peakBufferedDuringOutage).isLessThan(1024 * 1024);

                await().atMost(Duration.ofSeconds(20)).until(() -> sink.commit().get(tp) == TOTAL);
            }
            Map<Long, Integer> seen = new HashMap<>();
            s3.readAll(bucket)
                    .values()
                    .forEach(object -> ObjectContents.jsonLines(object, false)
                            .forEach(row -> seen.merge(row.get("id").asLong(), 1, Integer::sum)));
            assertThat(seen).hasSize(TOTAL);
            assertThat(seen.values()).containsOnly(1);
        }
    }
}
