package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.log.segment.SegmentFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged closed segment takes only its damaged range offline: the records before it and the
 * segments after it stay readable, appends continue, a fetch reaching the range names the file,
 * position and offsets, and a repair by truncation drops exactly that range and reports it.
 */
class DamagedSegmentTest {

    private static final int RECORDS = 400;

    @TempDir
    Path dir;

    private Log open() {
        return Log.open(LogOptions.defaults(dir)
                .withIntervals(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(1)));
    }

    /** Writes RECORDS records over several 8 KiB segments; returns the segment files in order. */
    private List<Path> writeSegments() throws IOException {
        try (Log log = open()) {
            log.createTopic("t", Map.of("segment.bytes", "8192", "retention.ms", "-1", "index.interval.bytes", "512"));
            PartitionLog p = log.partition("t", 0);
            for (long o = 0; o < RECORDS; o += 4) {
                p.append(TestRecords.range(o, 4));
            }
        }
        try (Stream<Path> files = Files.list(dir.resolve("t").resolve("0"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(SegmentFile.LOG))
                    .sorted()
                    .toList();
        }
    }

    private static long baseOf(Path segment) {
        return SegmentFile.parseBaseOffset(segment.getFileName().toString());
    }

    static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x5a);
        }
    }

    @Test
    void shouldKeepRecordsBeforeAndAfterADamagedClosedSegmentReadableAndNameTheDamage() throws IOException {
        List<Path> segments = writeSegments();
        assertThat(segments).hasSizeGreaterThan(4);
        Path damagedFile = segments.get(2);
        long damagedBase = baseOf(damagedFile);
        long nextBase = baseOf(segments.get(3));
        long flipAt = Files.size(damagedFile) / 2;
        flipByte(damagedFile, flipAt);
        LargeBatchRecoveryTest.removeCheckpointAndIndexes(damagedFile.getParent()); // scan everything, as after a crash

        try (Log log = open()) {
            PartitionLog p = log.partition("t", 0);
            assertThat(p.state()).isEqualTo(PartitionState.DAMAGED);
            assertThat(p.isOnline()).isTrue();
            DamagedRange range = p.damagedRanges().get(0);
            assertThat(p.damagedRanges()).hasSize(1);
            assertThat(range.file()).isEqualTo(damagedFile);
            assertThat(range.position()).isBetween((long) SegmentFile.HEADER_END, flipAt);
            assertThat(range.fromOffset()).isBetween(damagedBase, nextBase - 1);
            assertThat(range.toOffset()).isEqualTo(nextBase);
            assertThat(range.bytes()).isEqualTo(Files.size(damagedFile) - range.position());
            assertThat(range.reason()).contains("CRC");

            List<StoredRecord> before = PartitionScan.read(p, 0, range.fromOffset());
            assertThat(before).hasSize((int) range.fromOffset());
            PartitionScan.assertDenseOriginals(before, 0);
            assertThatThrownBy(() -> p.fetch(range.fromOffset(), 1 << 16))
                    .isInstanceOf(PartitionDamagedException.class)
                    .hasMessageContaining(damagedFile.toString())
                    .hasMessageContaining("position " + range.position())
                    .hasMessageContaining("offsets " + range.fromOffset() + ".." + (nextBase - 1));
            List<StoredRecord> after = PartitionScan.read(p, nextBase, p.highWatermark());
            PartitionScan.assertDenseOriginals(after, nextBase);
            assertThat(after).hasSize((int) (RECORDS - nextBase));

            long end = p.logEndOffset();
            assertThat(p.append(TestRecords.range(end, 2)).baseOffset())
                    .as("appends continue at the end")
                    .isEqualTo(end);
            assertThat(p.sizeInBytes()).isPositive();
        }

        try (Log log = open()) { // the damage is found again after a clean restart: nothing was cut
            PartitionLog p = log.partition("t", 0);
            assertThat(p.state()).isEqualTo(PartitionState.DAMAGED);
            DamagedRange range = p.damagedRanges().get(0);
            List<RepairResult> repaired = p.repairByTruncation();
            assertThat(repaired).singleElement().satisfies(r -> {
                assertThat(r.file()).isEqualTo(damagedFile);
                assertThat(r.position()).isEqualTo(range.position());
                assertThat(r.fromOffset()).isEqualTo(range.fromOffset());
                assertThat(r.offsetsDropped()).isEqualTo(nextBase - range.fromOffset());
                assertThat(r.bytesDropped()).isEqualTo(range.bytes());
            });
            assertThat(Files.size(damagedFile)).isEqualTo(range.position());
            assertThat(p.state()).isEqualTo(PartitionState.ONLINE);
            assertThatThrownBy(p::repairByTruncation)
                    .isInstanceOf(PartitionNotDamagedException.class)
                    .hasMessageContaining("t-0");
            assertReadableWithGap(p, range.fromOffset(), nextBase);
        }
        try (Log log = open()) {
            PartitionLog p = log.partition("t", 0);
            assertThat(p.state()).isEqualTo(PartitionState.ONLINE);
            assertThat(p.recoveryEvents()).isEmpty();
            assertReadableWithGap(p, -1, nextBase);
        }
    }

    /** Everything reads back in order; the offsets in [gapFrom, gapTo) are missing (gapFrom -1: unknown). */
    private static void assertReadableWithGap(PartitionLog p, long gapFrom, long gapTo) {
        List<StoredRecord> all = PartitionScan.readAll(p);
        for (StoredRecord r : all) {
            if (r.offset() < RECORDS) {
                TestRecords.assertIsOriginal(r);
            }
            if (gapFrom >= 0) {
                assertThat(r.offset() >= gapFrom && r.offset() < gapTo)
                        .as("offset %d in the gap", r.offset())
                        .isFalse();
            }
        }
        assertThat(all).extracting(StoredRecord::offset).contains(gapTo, (long) RECORDS - 1, p.logEndOffset() - 1);
    }

    @Test
    void shouldReportAClosedSegmentWithADamagedHeaderAsOneDamagedRangeAndDeleteItOnRepair() throws IOException {
        List<Path> segments = writeSegments();
        Path damagedFile = segments.get(1);
        long nextBase = baseOf(segments.get(2));
        flipByte(damagedFile, 2);

        try (Log log = open()) {
            PartitionLog p = log.partition("t", 0);
            assertThat(p.state()).isEqualTo(PartitionState.DAMAGED);
            DamagedRange range = p.damagedRanges().get(0);
            assertThat(range.position()).isZero();
            assertThat(range.fromOffset()).isEqualTo(baseOf(damagedFile));
            assertThat(range.toOffset()).isEqualTo(nextBase);
            PartitionScan.assertDenseOriginals(PartitionScan.read(p, 0, range.fromOffset()), 0);
            assertThatThrownBy(() -> p.fetch(range.fromOffset() + 1, 1 << 16))
                    .isInstanceOf(PartitionDamagedException.class)
                    .hasMessageContaining(damagedFile.toString());
            List<RepairResult> repaired = p.repairByTruncation();
            assertThat(repaired)
                    .singleElement()
                    .satisfies(r -> assertThat(r.fileDeleted()).isTrue());
            assertThat(damagedFile).doesNotExist();
            assertReadableWithGap(p, range.fromOffset(), nextBase);
        }
    }

    @Test
    void shouldMarkARangeDamagedWhenAReadFindsACorruptBatchInAClosedSegment() throws IOException {
        List<Path> segments = writeSegments();
        Path damagedFile = segments.get(1);
        long nextBase = baseOf(segments.get(2));
        // indexes and checkpoint intact: a clean restart trusts the closed segment without reading it
        flipByte(damagedFile, SegmentFile.HEADER_END + 100);
        try (Log log = open()) {
            PartitionLog p = log.partition("t", 0);
            assertThat(p.state()).isEqualTo(PartitionState.ONLINE);
            assertThatThrownBy(() -> PartitionScan.readAll(p)).isInstanceOf(PartitionDamagedException.class);
            assertThat(p.state()).isEqualTo(PartitionState.DAMAGED);
            DamagedRange range = p.damagedRanges().get(0);
            assertThat(range.file()).isEqualTo(damagedFile);
            assertThat(range.toOffset()).isEqualTo(nextBase);
            PartitionScan.assertDenseOriginals(PartitionScan.read(p, 0, range.fromOffset()), 0);
            PartitionScan.assertDenseOriginals(PartitionScan.read(p, nextBase, RECORDS), nextBase);
            p.repairByTruncation();
            assertReadableWithGap(p, range.fromOffset(), nextBase);
        }
    }
}
