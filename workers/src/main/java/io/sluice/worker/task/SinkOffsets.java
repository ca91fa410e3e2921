package io.sluice.worker.task;

import io.sluice.log.TopicPartition;
import io.sluice.log.offsets.ConsumerOffsets;
import java.util.Map;
import java.util.Optional;

/**
 * Where sink tasks keep the offsets they committed (per consumer group and partition). On a single
 * worker the log's {@link ConsumerOffsets}; in a cluster a map shared by every worker, so a sink task
 * resumes where it left off on whichever worker runs it next. Implementations are thread-safe.
 */
public interface SinkOffsets {

    /** The next offset to read for {@code tp}, if one was committed. */
    Optional<Long> fetch(String group, TopicPartition tp);

    /** Durably stores offsets of {@code group}. */
    void commit(String group, Map<TopicPartition, Long> offsets);

    /**
     * Durably stores offsets a task committed; in a cluster only while {@code writer} holds its
     * assignment at that epoch.
     *
     * @throws io.sluice.worker.store.FencedWriteException when it no longer does
     */
    default void commit(String group, Map<TopicPartition, Long> offsets, io.sluice.worker.store.TaskEpoch writer) {
        commit(group, offsets);
    }

    /** Every committed offset of {@code group}. */
    Map<TopicPartition, Long> fetchAll(String group);

    /** Removes {@code group}'s offsets of {@code partitions}, or all of them when it is empty. */
    void delete(String group, java.util.Set<TopicPartition> partitions);

    /** The log's consumer offsets store. */
    static SinkOffsets of(ConsumerOffsets offsets) {
        return new SinkOffsets() {
            @Override
            public Optional<Long> fetch(String group, TopicPartition tp) {
                return offsets.fetch(group, tp).map(o -> o.offset());
            }

            @Override
            public Map<TopicPartition, Long> fetchAll(String group) {
                Map<TopicPartition, Long> out = new java.util.HashMap<>();
                offsets.fetchAll(group).forEach((tp, o) -> out.put(tp, o.offset()));
                return out;
            }

            @Override
            public void delete(String group, java.util.Set<TopicPartition> partitions) {
                offsets.delete(group, partitions);
            }

            @Override
            public void commit(String group, Map<TopicPartition, Long> toStore) {
                offsets.commit(group, toStore, "");
            }
        };
    }
}
