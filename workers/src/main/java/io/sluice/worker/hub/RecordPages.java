package io.sluice.worker.hub;

import io.sluice.core.hub.PartitionRecords;
import io.sluice.core.hub.RecordView;
import io.sluice.core.service.ConflictException;
import io.sluice.log.FetchResult;
import io.sluice.log.OffsetOutOfRangeException;
import io.sluice.log.PartitionDamagedException;
import io.sluice.log.PartitionOfflineException;
import io.sluice.log.StoredRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one page of a partition's records for the hub's record browser, through whatever reads the
 * partition: this worker's own log, or in a cluster a replica or the partition's leader. The page
 * starts at the offset asked for (at the log start when that is older), skips compacted gaps, stops at
 * the end offset of its first fetch, and ends early where a damaged range starts. Stateless.
 */
final class RecordPages {

    /** The most bytes one fetch reads when paging records. */
    static final int FETCH_BYTES = 1 << 20;

    /** Reads committed batches of one partition from an offset, as {@link io.sluice.log.PartitionLog#fetch} does. */
    @FunctionalInterface
    interface Fetch {
        /**
         * @throws OffsetOutOfRangeException when {@code offset} is before the log start or past the end
         */
        FetchResult fetch(long offset, int maxBytes);
    }

    private RecordPages() {}

    static PartitionRecords page(String topic, int partition, long offset, int maxRecords, Fetch fetch) {
        long next = offset;
        FetchResult fetched;
        try {
            fetched = fetch.fetch(next, FETCH_BYTES);
        } catch (OffsetOutOfRangeException e) {
            if (offset >= e.logStartOffset()) {
                // past the end: nothing to read yet
                return new PartitionRecords(topic, partition, e.logStartOffset(), e.logEndOffset(), offset, List.of());
            }
            next = e.logStartOffset();
            fetched = first(fetch, next);
        } catch (PartitionDamagedException | PartitionOfflineException e) {
            throw new ConflictException(e.getMessage(), e);
        }
        long end = fetched.highWatermark();
        long start = fetched.logStartOffset();
        next = Math.max(next, start);
        List<RecordView> out = new ArrayList<>();
        while (true) {
            List<StoredRecord> records = fetched.records();
            if (records.isEmpty()) {
                break;
            }
            for (StoredRecord r : records) {
                if (out.size() == maxRecords || r.offset() >= end) {
                    break;
                }
                out.add(RecordDecoder.decode(r));
                next = r.offset() + 1;
            }
            if (fetched.nextOffset() > next && out.size() < maxRecords) {
                // a compacted gap; never past the page's end, where records appended since begin
                next = Math.min(fetched.nextOffset(), end);
            }
            if (out.size() >= maxRecords || next >= end) {
                break;
            }
            try {
                fetched = fetch.fetch(next, FETCH_BYTES);
            } catch (PartitionDamagedException e) {
                if (!out.isEmpty()) {
                    break; // the page ends where the damaged range starts; the next page names it
                }
                throw new ConflictException(e.getMessage(), e);
            } catch (PartitionOfflineException e) {
                throw new ConflictException(e.getMessage(), e);
            }
        }
        return new PartitionRecords(topic, partition, start, end, next, out);
    }

    private static FetchResult first(Fetch fetch, long offset) {
        try {
            return fetch.fetch(offset, FETCH_BYTES);
        } catch (PartitionDamagedException | PartitionOfflineException e) {
            throw new ConflictException(e.getMessage(), e);
        }
    }
}
