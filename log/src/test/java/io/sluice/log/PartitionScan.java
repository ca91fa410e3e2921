package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Reads a partition the way a consumer does: fetch after fetch, from an offset up to the high watermark. */
final class PartitionScan {

    private static final int FETCH_BYTES = 64 * 1024;

    private PartitionScan() {}

    /** Every committed record from the log start, checking that offsets strictly increase. */
    static List<StoredRecord> readAll(PartitionLog p) {
        return read(p, p.logStartOffset(), p.highWatermark());
    }

    /** The records in {@code [from, to)}; fails when a fetch makes no progress below {@code to}. */
    static List<StoredRecord> read(PartitionLog p, long from, long to) {
        List<StoredRecord> out = new ArrayList<>();
        long next = from;
        long last = -1;
        while (next < to) {
            FetchResult result = p.fetch(next, FETCH_BYTES);
            assertThat(result.nextOffset())
                    .as("fetch at %d of %s (high watermark %d) must make progress", next, p, to)
                    .isGreaterThan(next);
            for (StoredRecord r : result.records()) {
                if (r.offset() >= to) {
                    break;
                }
                assertThat(r.offset()).as("offsets increase").isGreaterThan(last);
                last = r.offset();
                out.add(r);
            }
            next = result.nextOffset();
        }
        return out;
    }

    /** Asserts that {@code records} are exactly the offsets {@code from, from + 1, ...} with original content. */
    static void assertDenseOriginals(List<StoredRecord> records, long from) {
        for (int i = 0; i < records.size(); i++) {
            StoredRecord r = records.get(i);
            assertThat(r.offset()).as("offsets are dense").isEqualTo(from + i);
            TestRecords.assertIsOriginal(r);
        }
    }
}
