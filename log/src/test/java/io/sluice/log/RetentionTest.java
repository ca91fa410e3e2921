package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.log.segment.SegmentFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(TestRecords.BASE_TIMESTAMP);
    private Log log;

    @AfterEach
    void closeLog() {
        if (log != null) {
            log.close();
        }
    }

    private Log open() {
        // background maintenance is pushed out of the way: the tests run it themselves
        log = Log.open(LogOptions.defaults(dir)
                .withClock(clock::get)
                .withIntervals(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(5)));
        return log;
    }

    private void reopen() {
        log.close();
        open();
    }

    private PartitionLog createWith(Map<String, String> settings) {
        open().createTopic("t", settings);
        return log.partition("t", 0);
    }

    private static void appendInBatches(PartitionLog p, int records, int perBatch) {
        for (int done = 0; done < records; done += perBatch) {
            AppendResult r = p.append(TestRecords.range(p.logEndOffset(), perBatch));
            assertThat(r.baseOffset()).isEqualTo(done);
        }
    }

    @Test
    void shouldDeleteSegmentsWhoseRecordsAreAllOlderThanRetentionMs() {
        PartitionLog p = createWith(Map.of("retention.ms", "50", "segment.bytes", "2048"));
        appendInBatches(p, 200, 5); // record timestamps are BASE + offset
        assertThat(p.segmentCount()).isGreaterThan(5);

        clock.set(TestRecords.BASE_TIMESTAMP + 150); // records below offset 100 are now past retention
        log.runMaintenance();

        long start = p.logStartOffset();
        assertThat(start).isGreaterThan(0).isLessThanOrEqualTo(100);
        assertThat(p.logEndOffset()).isEqualTo(200);
        PartitionScan.assertDenseOriginals(PartitionScan.readAll(p), start);
        assertThatThrownBy(() -> p.fetch(start - 1, 1024)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> p.fetch(0, 1024)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void shouldDeleteEverythingAndKeepTheLogEndWhenAllRecordsExpire() {
        PartitionLog p = createWith(Map.of("retention.ms", "50", "segment.bytes", "2048"));
        appendInBatches(p, 100, 10);

        clock.set(TestRecords.BASE_TIMESTAMP + 1_000);
        log.runMaintenance();

        assertThat(p.logStartOffset()).isEqualTo(100);
        assertThat(p.logEndOffset()).isEqualTo(100);
        assertThat(p.fetch(100, 1024).isEmpty()).isTrue();
        assertThat(p.append(TestRecords.range(100, 3)).baseOffset()).isEqualTo(100);

        reopen();
        PartitionLog again = log.partition("t", 0);
        assertThat(again.logStartOffset()).isEqualTo(100);
        assertThat(again.logEndOffset()).isEqualTo(103);
        PartitionScan.assertDenseOriginals(PartitionScan.readAll(again), 100);
    }

    @Test
    void shouldKeepThePartitionUnderRetentionBytes() {
        PartitionLog p = createWith(Map.of("retention.ms", "-1", "retention.bytes", "8192", "segment.bytes", "2048"));
        appendInBatches(p, 400, 4);
        long before = p.sizeInBytes();

        log.runMaintenance();

        assertThat(before).isGreaterThan(8192);
        assertThat(p.sizeInBytes()).isLessThan(8192 + 2048);
        assertThat(p.logStartOffset()).isGreaterThan(0);
        assertThat(p.logEndOffset()).isEqualTo(400);
        PartitionScan.assertDenseOriginals(PartitionScan.readAll(p), p.logStartOffset());
        assertThatThrownBy(() -> p.fetch(p.logStartOffset() - 1, 1024))
                .isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("log start " + p.logStartOffset());
    }

    @Test
    void shouldNotBringDeletedSegmentsBackAfterReopen() throws IOException {
        PartitionLog p = createWith(Map.of("retention.ms", "-1", "retention.bytes", "8192", "segment.bytes", "2048"));
        appendInBatches(p, 400, 4);
        log.runMaintenance();
        long start = p.logStartOffset();
        assertThat(start).isGreaterThan(0);

        reopen();
        PartitionLog again = log.partition("t", 0);

        assertThat(again.logStartOffset()).isEqualTo(start);
        assertThat(again.logEndOffset()).isEqualTo(400);
        assertThat(segmentBases(dir.resolve("t").resolve("0")))
                .allSatisfy(base -> assertThat(base).isGreaterThanOrEqualTo(start));
        assertThatThrownBy(() -> again.fetch(start - 1, 1024)).isInstanceOf(OffsetOutOfRangeException.class);
        PartitionScan.assertDenseOriginals(PartitionScan.readAll(again), start);
        assertThat(again.append(TestRecords.range(400, 1)).baseOffset()).isEqualTo(400);
    }

    @Test
    void shouldNotDeleteByTimeWhileRecordsAreYoung() {
        PartitionLog p = createWith(Map.of("retention.ms", "10000", "segment.bytes", "2048"));
        appendInBatches(p, 100, 5);
        int segments = p.segmentCount();

        clock.set(TestRecords.BASE_TIMESTAMP + 5_000);
        log.runMaintenance();

        assertThat(p.segmentCount()).isEqualTo(segments);
        assertThat(p.logStartOffset()).isZero();
    }

    private static List<Long> segmentBases(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(SegmentFile.LOG))
                    .map(SegmentFile::parseBaseOffset)
                    .toList();
        }
    }
}
