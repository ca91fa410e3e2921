package io.sluice.connect.s3;

import io.sluice.testing.S3Fixture;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Drives an {@link S3SinkTask} as a framework would: start, open, put, preCommit; keeps the
 * offsets preCommit returned as "committed". The S3 server is shared by the tests of one JVM.
 */
final class SinkHarness implements AutoCloseable {

    private static S3Fixture shared;

    final S3SinkTask task = new S3SinkTask();
    final FakeSinkTaskContext context;
    final Map<TopicPartition, Long> committed = new HashMap<>();

    SinkHarness(Map<String, String> props, Set<TopicPartition> partitions) {
        context = new FakeSinkTaskContext(partitions);
        task.initialize(context);
        task.start(props);
        task.open(partitions);
    }

    static synchronized S3Fixture s3() {
        if (shared == null) {
            shared = S3Fixture.start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** Settings for {@code bucket} on the shared server plus {@code more} (key, value, key, value...). */
    static Map<String, String> props(S3Fixture s3, String bucket, String... more) {
        Map<String, String> props = new HashMap<>(s3.connectorSettings(bucket));
        props.put("s3.retry.backoff.ms", "50");
        props.put("s3.retry.backoff.max.ms", "1000");
        for (int i = 0; i < more.length; i += 2) {
            props.put(more[i], more[i + 1]);
        }
        return props;
    }

    void put(Collection<SinkRecord> records) {
        task.put(List.copyOf(records));
    }

    /** Calls preCommit and remembers what it returned as the committed offsets. */
    Map<TopicPartition, Long> commit() {
        Map<TopicPartition, OffsetAndMetadata> safe = task.preCommit(Map.of());
        safe.forEach((tp, o) -> committed.put(tp, o.offset()));
        return committed;
    }

    @Override
    public void close() {
        task.close(context.assignment);
        task.stop();
    }
}
