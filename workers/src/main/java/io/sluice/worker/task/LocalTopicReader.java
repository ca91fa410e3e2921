package io.sluice.worker.task;

import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/** A single worker's {@link TopicReader}: its own log. Thread-safe. */
public final class LocalTopicReader implements TopicReader {

    private final Log log;

    public LocalTopicReader(Log log) {
        this.log = log;
    }

    @Override
    public Set<String> topics() {
        return new LinkedHashSet<>(log.topics());
    }

    @Override
    public int partitions(String topic) {
        return log.partitionsOf(topic).size();
    }

    @Override
    public FetchResult fetch(String topic, int partition, long offset, int maxBytes) {
        return log.partition(topic, partition).fetch(offset, maxBytes);
    }

    @Override
    public long endOffset(String topic, int partition) {
        return log.partition(topic, partition).highWatermark();
    }

    @Override
    public long version() {
        return log.commitSignal().version();
    }

    @Override
    public void awaitChange(long seen, Duration maxWait) throws InterruptedException {
        log.commitSignal().awaitChange(seen, maxWait);
    }
}
