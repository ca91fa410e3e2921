package io.sluice.worker.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.hub.PartitionRecords;
import io.sluice.core.hub.RecordView;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.OffsetOutOfRangeException;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import io.sluice.log.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages of records as the record browser reads them, through a fetch that may be this worker's log or,
 * in a cluster, a partition's leader on another worker: rows of about 2 KB, so a page spans several
 * fetches.
 */
class RecordPagesTest {

    private static final int ROWS = 1500;

    @TempDir
    Path dir;

    private static PartitionLog rows(Log log, int from, int count) {
        log.createTopic("orders", Map.of("partitions", "1"));
        PartitionLog p = log.partition("orders", 0);
        List<Record> batch = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            batch.add(Record.of(("k" + n).getBytes(StandardCharsets.UTF_8), row(n), n));
            if (batch.size() == 50) {
                p.append(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            p.append(batch);
        }
        return p;
    }

    private static byte[] row(int n) {
        return ("{\"id\":" + n + ",\"note\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> offsets(PartitionRecords page) {
        return page.records().stream().map(RecordView::offset).toList();
    }

    @Test
    void shouldReadAPageSpanningSeveralFetchesInOffsetOrder() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            PartitionLog p = rows(log, 0, ROWS);

            PartitionRecords page = RecordPages.page("orders", 0, 100, 1000, p::fetch);

            assertThat(offsets(page)).hasSize(1000).startsWith(100L).endsWith(1099L);
            assertThat(page.nextOffset()).isEqualTo(1100);
            assertThat(page.endOffset()).isEqualTo(ROWS);
            assertThat(page.records().get(0).value().text()).startsWith("{\"id\":100,");
        }
    }

    @Test
    void shouldAnswerAnEmptyPageAtTheOffsetAskedForWhenItIsPastTheEnd() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            PartitionLog p = rows(log, 0, 10);

            PartitionRecords page = RecordPages.page("orders", 0, 5000, 20, p::fetch);

            assertThat(page.records()).isEmpty();
            assertThat(page.nextOffset()).isEqualTo(5000);
            assertThat(page.endOffset()).isEqualTo(10);
        }
    }

    @Test
    void shouldStartAtTheLogStartWhenTheReaderSaysTheOffsetIsGone() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            PartitionLog p = rows(log, 0, 300);
            long start = 120; // as a leader whose retention removed the first records answers
            RecordPages.Fetch leader = (offset, maxBytes) -> {
                if (offset < start) {
                    throw new OffsetOutOfRangeException(new TopicPartition("orders", 0), offset, start, 300);
                }
                return p.fetch(offset, maxBytes);
            };

            PartitionRecords page = RecordPages.page("orders", 0, 0, 50, leader);

            assertThat(offsets(page)).hasSize(50).startsWith(start).endsWith(start + 49);
        }
    }

    @Test
    void shouldEndThePageAtTheEndOffsetItsFirstFetchSaw() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            PartitionLog p = rows(log, 0, 600);
            boolean[] appended = {false};
            RecordPages.Fetch growing = (offset, maxBytes) -> {
                var result = p.fetch(offset, maxBytes);
                if (!appended[0]) {
                    appended[0] = true;
                    rows(log, 600, 400); // a source keeps writing while the page is read
                }
                return result;
            };

            PartitionRecords page = RecordPages.page("orders", 0, 0, 1000, growing);

            assertThat(offsets(page)).hasSize(600).endsWith(599L);
            assertThat(page.endOffset()).isEqualTo(600);
            // the next page starts where this one ended, not past the records appended meanwhile
            assertThat(page.nextOffset()).isEqualTo(600);
        }
    }
}
