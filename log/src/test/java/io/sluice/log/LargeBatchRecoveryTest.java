package io.sluice.log;

import static io.sluice.log.BatchSizes.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.format.RecordBatch;
import io.sluice.log.segment.SegmentFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batches of every size up to {@link RecordBatch#MAX_BATCH_SIZE}, placed so that a batch or its header
 * straddles the recovery scanner's 1 MiB chunk end or a segment's end, must all read back intact after
 * a clean close and reopen, after a reopen that scans every segment (checkpoint and indexes gone, as
 * after a crash), and after compaction rewrote the closed segments. A batch is only ever "torn" when
 * the file really ends inside it.
 */
class LargeBatchRecoveryTest {

    private static final int HEADER = RecordBatch.LOG_OVERHEAD;

    @TempDir
    Path dir;

    /** How the log is reopened before it is read back. */
    enum Reopen {
        /** close() then open: the active segment is scanned, closed ones trusted through their indexes */
        CLEAN,
        /** checkpoint and every index removed: every segment, closed ones too, is scanned batch by batch */
        FULL_SCAN,
        /** records of some keys overwritten, compaction run, then a full-scan reopen */
        AFTER_COMPACTION
    }

    static Stream<Arguments> layouts() {
        int small = BatchSizes.smallestBatch();
        List<Arguments> out = new ArrayList<>();
        int[][] layouts = {
            // a header cut by the chunk end, 1 to 11 of its 12 length bytes in the first chunk
            {CHUNK - 1, 2 * CHUNK, small},
            {CHUNK - 6, 2 * CHUNK + 7, small, CHUNK - 3, 3 * CHUNK},
            {CHUNK - 11, CHUNK + 1, small},
            // the header just fits, or the chunk ends exactly on a batch boundary
            {CHUNK - HEADER, 2 * CHUNK, small},
            {CHUNK, 3 * CHUNK, small},
            // batches larger than a chunk from the start, up to the largest a batch may be
            {CHUNK + 1, small, 8 * CHUNK, small, 4 * CHUNK + 5},
            {small, RecordBatch.MAX_BATCH_SIZE, small},
        };
        for (int[] layout : layouts) {
            for (Reopen reopen : Reopen.values()) {
                // one active segment; and segments of 2 MiB, so big batches sit in closed segments,
                // some filling theirs exactly, some larger than a segment
                if (reopen != Reopen.AFTER_COMPACTION) { // compaction needs closed segments
                    out.add(Arguments.of(layout, 512 * CHUNK, reopen));
                }
                out.add(Arguments.of(layout, 2 * CHUNK, reopen));
            }
        }
        int exact = 2 * CHUNK - SegmentFile.HEADER_END;
        for (Reopen reopen : Reopen.values()) {
            out.add(Arguments.of(
                    new int[] {exact, exact - small, small, CHUNK - 3, CHUNK + 3, small}, 2 * CHUNK, reopen));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{index}: segment.bytes {1}, {2}")
    @MethodSource("layouts")
    void shouldReadBackEveryBatchWhateverItsSizeAndPlace(int[] batchSizes, int segmentBytes, Reopen reopen)
            throws IOException {
        Map<String, String> settings = new HashMap<>(Map.of(
                "segment.bytes", Integer.toString(segmentBytes), "retention.ms", "-1", "compression.type", "none"));
        if (reopen == Reopen.AFTER_COMPACTION) {
            settings.put("cleanup.policy", "compact");
        }
        Map<Long, Record> expected = new HashMap<>();
        try (Log log = open()) {
            log.createTopic("t", settings);
            PartitionLog p = log.partition("t", 0);
            long offset = 0;
            for (int size : batchSizes) {
                Record r = BatchSizes.recordForBatchOf(offset, size);
                assertThat(p.append(List.of(r)).baseOffset()).isEqualTo(offset);
                expected.put(offset++, r);
            }
            if (reopen == Reopen.AFTER_COMPACTION) {
                // overwrite the first record's key: compaction must rewrite the closed segments,
                // copying the big batches it keeps
                Record first = expected.get(0L);
                Record newer = new Record(first.key(), new byte[] {1, 2, 3}, List.of(), first.timestamp() + 1);
                p.append(List.of(newer));
                expected.remove(0L);
                expected.put(offset++, newer);
                // a batch larger than a segment rolls, so the newer record is in a closed segment too
                Record rolling = BatchSizes.recordForBatchOf(offset, segmentBytes);
                p.append(List.of(rolling));
                expected.put(offset, rolling);
                log.runMaintenance();
                assertThat(p.logStartOffset()).isZero();
            }
        }
        if (reopen != Reopen.CLEAN) {
            removeCheckpointAndIndexes(dir.resolve("t").resolve("0"));
        }
        try (Log log = open()) {
            PartitionLog p = log.partition("t", 0);
            assertThat(p.offlineReason()).as("offline reason").isNull();
            assertThat(p.recoveryEvents()).as("recovery dropped nothing").noneMatch(e -> e.contains("truncated"));
            List<StoredRecord> read = PartitionScan.readAll(p);
            assertThat(read)
                    .extracting(StoredRecord::offset)
                    .containsExactlyElementsOf(
                            expected.keySet().stream().sorted().toList());
            for (StoredRecord r : read) {
                assertThat(r.toRecord()).as("record at %d", r.offset()).isEqualTo(expected.get(r.offset()));
            }
            StoredRecord last = read.get(read.size() - 1);
            assertThat(p.offsetForTime(last.timestamp()))
                    .as("time lookup reaches the last batch")
                    .hasValue(last.offset());
            long end = p.logEndOffset();
            assertThat(p.append(List.of(BatchSizes.record(end, 5))).baseOffset())
                    .as("appends continue at the log end")
                    .isEqualTo(end);
        }
    }

    @ParameterizedTest(name = "cut {0} bytes into a {1}-byte batch")
    @MethodSource("tornBatches")
    void shouldDropOnlyABatchTheFileReallyEndsInside(int keep, int batchBytes) throws IOException {
        Record before = BatchSizes.recordForBatchOf(0, CHUNK - 5);
        Path file;
        try (Log log = open()) {
            log.createTopic("t", Map.of("retention.ms", "-1", "compression.type", "none"));
            PartitionLog p = log.partition("t", 0);
            p.append(List.of(before));
            p.append(List.of(BatchSizes.recordForBatchOf(1, batchBytes)));
            file = p.activeSegment().file();
        }
        long tornAt = Files.size(file) - batchBytes;
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(tornAt + keep);
        }
        removeCheckpointAndIndexes(file.getParent());
        try (Log log = open()) {
            PartitionLog p = log.partition("t", 0);
            assertThat(p.isOnline()).isTrue();
            assertThat(p.logEndOffset()).isEqualTo(1);
            assertThat(PartitionScan.readAll(p))
                    .singleElement()
                    .satisfies(r -> assertThat(r.toRecord()).isEqualTo(before));
            assertThat(p.recoveryEvents())
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains("position " + tornAt)
                    .contains("dropped " + keep + " bytes from offset 1")
                    .contains("torn batch");
        }
    }

    static Stream<Arguments> tornBatches() {
        return Stream.of(
                Arguments.of(3, 2 * CHUNK), // the header itself cut, across the chunk end
                Arguments.of(HEADER, 2 * CHUNK), // the header whole, the body missing
                Arguments.of(CHUNK, 3 * CHUNK), // cut past the first chunk
                Arguments.of(3 * CHUNK - 1, 3 * CHUNK)); // one byte short
    }

    private Log open() {
        return Log.open(LogOptions.defaults(dir)
                .withIntervals(Duration.ofHours(1), Duration.ofMillis(1), Duration.ofMinutes(1)));
    }

    static void removeCheckpointAndIndexes(Path partitionDir) throws IOException {
        try (Stream<Path> files = Files.list(partitionDir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(SegmentFile.INDEX)
                        || name.endsWith(SegmentFile.TIME_INDEX)
                        || name.equals(Checkpoint.FILE)) {
                    Files.delete(f);
                }
            }
        }
    }
}
