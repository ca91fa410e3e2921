package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.log.segment.SegmentFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged closed segment is rewritten from another replica's copy of the same batches: afterwards
 * every record reads back, none is missing, the partition is ONLINE after a restart, and a source that
 * cannot serve the range leaves the damage as it was.
 */
class RepairByCopyTest {

    private static final int RECORDS = 400;

    @TempDir
    Path damagedDir;

    @TempDir
    Path healthyDir;

    private static Log open(Path dir) {
        return Log.open(LogOptions.defaults(dir)
                .withIntervals(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(1)));
    }

    /** The same appends in both logs (as a replicated partition's replicas hold them). */
    private static List<Path> write(Path dir) throws IOException {
        try (Log log = open(dir)) {
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

    /** Batches of {@code healthy} from an offset, as copies (what a replica's FETCH answers). */
    private static BatchSource from(PartitionLog healthy) {
        return (offset, maxBytes) -> {
            List<ByteBuffer> out = new ArrayList<>();
            for (var batch : healthy.fetch(offset, maxBytes).batchList()) {
                ByteBuffer b = batch.buffer();
                out.add(ByteBuffer.allocate(b.remaining()).put(b).flip());
            }
            return out;
        };
    }

    @Test
    void shouldRewriteADamagedRangeFromAHealthyReplicaSoNothingIsLost() throws IOException {
        List<Path> segments = write(damagedDir);
        write(healthyDir);
        Path damagedFile = segments.get(2);
        DamagedSegmentTest.flipByte(damagedFile, Files.size(damagedFile) / 2);
        LargeBatchRecoveryTest.removeCheckpointAndIndexes(damagedFile.getParent());

        try (Log damaged = open(damagedDir);
                Log healthy = open(healthyDir)) {
            PartitionLog p = damaged.partition("t", 0);
            assertThat(p.state()).isEqualTo(PartitionState.DAMAGED);
            DamagedRange range = p.damagedRanges().get(0);

            List<RepairResult> repaired = p.repairByCopy(from(healthy.partition("t", 0)));

            assertThat(repaired).singleElement().satisfies(r -> {
                assertThat(r.fromOffset()).isEqualTo(range.fromOffset());
                assertThat(r.toOffset()).isEqualTo(range.toOffset());
                assertThat(r.fileDeleted()).isFalse();
            });
            assertThat(p.state()).isEqualTo(PartitionState.ONLINE);
            List<StoredRecord> all = PartitionScan.read(p, 0, p.highWatermark());
            assertThat(all).hasSize(RECORDS);
            PartitionScan.assertDenseOriginals(all, 0);
            assertThat(p.append(TestRecords.range(RECORDS, 2)).baseOffset()).isEqualTo(RECORDS);
        }
        LargeBatchRecoveryTest.removeCheckpointAndIndexes(damagedFile.getParent()); // a full scan finds no damage
        try (Log log = open(damagedDir)) {
            PartitionLog p = log.partition("t", 0);
            assertThat(p.state()).isEqualTo(PartitionState.ONLINE);
            List<StoredRecord> all = PartitionScan.read(p, 0, p.highWatermark());
            assertThat(all).hasSize(RECORDS + 2);
            PartitionScan.assertDenseOriginals(all, 0);
        }
    }

    @Test
    void shouldRewriteASegmentWhoseHeaderIsDamaged() throws IOException {
        List<Path> segments = write(damagedDir);
        write(healthyDir);
        Path damagedFile = segments.get(1);
        DamagedSegmentTest.flipByte(damagedFile, 3);
        LargeBatchRecoveryTest.removeCheckpointAndIndexes(damagedFile.getParent());

        try (Log damaged = open(damagedDir);
                Log healthy = open(healthyDir)) {
            PartitionLog p = damaged.partition("t", 0);
            assertThat(p.state()).isEqualTo(PartitionState.DAMAGED);

            p.repairByCopy(from(healthy.partition("t", 0)));

            List<StoredRecord> all = PartitionScan.read(p, 0, p.highWatermark());
            assertThat(all).hasSize(RECORDS);
            PartitionScan.assertDenseOriginals(all, 0);
        }
        try (Log log = open(damagedDir)) {
            assertThat(log.partition("t", 0).state()).isEqualTo(PartitionState.ONLINE);
        }
    }

    @Test
    void shouldLeaveTheDamageAsItWasWhenNoReplicaCanServeTheRange() throws IOException {
        List<Path> segments = write(damagedDir);
        Path damagedFile = segments.get(2);
        DamagedSegmentTest.flipByte(damagedFile, Files.size(damagedFile) / 2);
        LargeBatchRecoveryTest.removeCheckpointAndIndexes(damagedFile.getParent());
        try (Log damaged = open(damagedDir)) {
            PartitionLog p = damaged.partition("t", 0);
            DamagedRange range = p.damagedRanges().get(0);
            long size = Files.size(damagedFile);

            assertThatThrownBy(() -> p.repairByCopy((offset, max) -> {
                        throw new IOException("replica 2 unreachable");
                    }))
                    .isInstanceOf(RepairFailedException.class)
                    .hasMessageContaining("replica 2 unreachable");
            assertThatThrownBy(() -> p.repairByCopy((offset, max) -> List.of()))
                    .isInstanceOf(RepairFailedException.class)
                    .hasMessageContaining("offset " + range.fromOffset());

            assertThat(p.damagedRanges()).containsExactly(range);
            assertThat(Files.size(damagedFile)).isEqualTo(size);
        }
    }
}
