package io.sluice.log.replication;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The highest epoch seen per producer id on one partition: the fencing state. Changed only by the
 * apply thread, in Raft order, so every replica holds the same state at the same Raft index; saved
 * in each snapshot and rebuilt past it by replaying the Raft log.
 */
final class ProducerEpochs {

    /** Producer ids below zero are not fenced. */
    static final long NO_PRODUCER = -1;

    private final Map<Long, Integer> epochs = new ConcurrentHashMap<>();

    /** The current epoch when {@code epoch} is stale for {@code producerId}, otherwise {@code null}. */
    Integer staleAgainst(long producerId, int epoch) {
        if (producerId < 0) {
            return null;
        }
        Integer current = epochs.get(producerId);
        return current != null && epoch < current ? current : null;
    }

    void observe(long producerId, int epoch) {
        if (producerId >= 0) {
            epochs.merge(producerId, epoch, Math::max);
        }
    }

    Map<Long, Integer> copy() {
        return new TreeMap<>(epochs);
    }

    void restore(Map<Long, Integer> saved) {
        epochs.clear();
        epochs.putAll(saved);
    }
}
