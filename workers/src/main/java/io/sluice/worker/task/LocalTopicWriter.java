package io.sluice.worker.task;

import io.sluice.log.AppendResult;
import io.sluice.log.Log;
import io.sluice.log.Record;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** A single worker's {@link TopicWriter}: its own log; producer ids and epochs are not used. */
public final class LocalTopicWriter implements TopicWriter {

    private final Log log;

    public LocalTopicWriter(Log log) {
        this.log = log;
    }

    @Override
    public int ensure(String topic, Supplier<Map<String, String>> settings) {
        if (log.topicConfig(topic).isEmpty()) {
            log.createTopic(topic, settings.get());
        }
        return log.partitionsOf(topic).size();
    }

    @Override
    public AppendResult append(String topic, int partition, List<Record> records, long producerId, long epoch) {
        return log.partition(topic, partition).append(records);
    }

    @Override
    public void flush(String topic, int partition) {
        log.partition(topic, partition).flush();
    }
}
