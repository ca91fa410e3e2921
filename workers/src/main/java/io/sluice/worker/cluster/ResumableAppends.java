package io.sluice.worker.cluster;

import io.sluice.log.AppendResult;
import io.sluice.log.Record;
import io.sluice.log.replication.PartialAppendException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers, per producer and partition, how much of an append that failed part-way
 * ({@link PartialAppendException}) is stored, so that the caller's retry of the same append (the same
 * list instance, as a source task retries a poll) sends only the records not yet stored. Any other
 * append by that producer to that partition forgets it. At most one remembered append per producer
 * and partition (it holds the list until then).
 *
 * <p>Thread-safe; one producer appends to a partition from one thread at a time.
 */
final class ResumableAppends {

    /** One producer on one partition. */
    private record Key(String topic, int partition, long producerId) {}

    /** An append of which the first {@code stored} records are on a majority, at {@code offsets}. */
    private record Resume(List<Record> records, int stored, AppendResult offsets) {}

    private final Map<Key, Resume> resumes = new ConcurrentHashMap<>();

    /**
     * Sends {@code records} through {@code send}, or only those after the stored part when this is a
     * retry of an append that failed part-way; returns the offsets of the whole append (from its first
     * stored record).
     */
    AppendResult append(
            String topic,
            int partition,
            long producerId,
            List<Record> records,
            Function<List<Record>, AppendResult> send) {
        Key key = new Key(topic, partition, producerId);
        Resume resume = resumes.remove(key);
        if (resume != null && resume.records() != records) {
            resume = null; // a different append: the interrupted one was given up
        }
        int from = resume == null ? 0 : resume.stored();
        try {
            AppendResult rest = send.apply(records.subList(from, records.size()));
            return resume == null ? rest : new AppendResult(resume.offsets().baseOffset(), rest.lastOffset());
        } catch (PartialAppendException e) {
            long base = resume == null
                    ? e.acknowledged().baseOffset()
                    : resume.offsets().baseOffset();
            resumes.put(
                    key,
                    new Resume(
                            records,
                            from + e.acknowledgedRecords(),
                            new AppendResult(base, e.acknowledged().lastOffset())));
            throw e;
        }
    }
}
