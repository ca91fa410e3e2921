package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.segment.SegmentFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages the files of one partition (seeded random truncations and bit flips, seed printed) and
 * checks what reopening does: never throws; the partition is either online and returns exactly what
 * was written, with everything before the damage, or offline naming the file and position; index damage
 * alone loses nothing; the other partition of the same log is untouched.
 */
class CorruptionTest {

    private static final int ROUNDS = Integer.getInteger("corruption.rounds", 48);
    private static final int RECORDS = 600;

    @TempDir
    static Path pristine;

    @TempDir
    Path work;

    @BeforeAll
    static void writeLog() {
        try (Log log = open(pristine)) {
            log.createTopic(
                    "t",
                    Map.of(
                            "partitions",
                            "2",
                            "segment.bytes",
                            "4096",
                            "retention.ms",
                            "-1",
                            "index.interval.bytes",
                            "256"));
            Random random = new Random(1);
            for (int p = 0; p < 2; p++) {
                PartitionLog partition = log.partition("t", p);
                while (partition.logEndOffset() < RECORDS) {
                    int n = (int) Math.min(1 + random.nextInt(8), RECORDS - partition.logEndOffset());
                    partition.append(TestRecords.range(partition.logEndOffset(), n));
                }
            }
        }
    }

    private static Log open(Path dir) {
        return Log.open(LogOptions.defaults(dir)
                .withIntervals(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(1)));
    }

    private static List<Path> files(Path partitionDir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(partitionDir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    private Path copyPristine() throws IOException {
        Path target = work.resolve("log");
        try (Stream<Path> all = Files.walk(pristine)) {
            for (Path from : all.toList()) {
                Path to = target.resolve(pristine.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    private record Damage(Path file, long position, String what) {}

    private static Damage damage(Path file, Random random) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long size = raf.length();
            long position = (long) (random.nextDouble() * size);
            if (random.nextInt(3) == 0) {
                raf.setLength(position);
                return new Damage(file, position, "truncated " + file.getFileName() + " to " + position);
            }
            raf.seek(position);
            int b = raf.read();
            int bit = 1 << random.nextInt(8);
            raf.seek(position);
            raf.write(b ^ bit);
            return new Damage(file, position, "flipped bit " + bit + " of " + file.getFileName() + " at " + position);
        }
    }

    @Test
    void shouldRecoverOrGoOfflineNamingTheDamageButNeverReturnWrongRecords() throws IOException {
        long seed = Long.getLong("corruption.seed", System.nanoTime());
        System.out.println("CorruptionTest seed " + seed);
        Random random = new Random(seed);
        int online = 0;
        int offline = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path dir = copyPristine();
            Path partitionDir = dir.resolve("t").resolve("0");
            List<Path> candidates = new ArrayList<>(files(partitionDir, SegmentFile.LOG));
            if (random.nextBoolean()) {
                candidates = new ArrayList<>(files(partitionDir, SegmentFile.INDEX));
                candidates.addAll(files(partitionDir, SegmentFile.TIME_INDEX));
            }
            Damage damage = damage(candidates.get(random.nextInt(candidates.size())), random);
            String context = "seed " + seed + " round " + round + ": " + damage.what();
            boolean stayedOnline = check(dir, damage, context);
            if (stayedOnline) {
                online++;
            } else {
                offline++;
            }
        }
        System.out.println("CorruptionTest online " + online + ", offline " + offline);
    }

    /** Returns whether partition 0 stayed online. */
    private static boolean check(Path dir, Damage damage, String context) throws IOException {
        boolean indexOnly = !damage.file().getFileName().toString().endsWith(SegmentFile.LOG);
        long intactBelow = indexOnly ? RECORDS : firstDamagedOffset(damage);
        try (Log log = open(dir)) {
            PartitionLog other = log.partition("t", 1);
            PartitionScan.assertDenseOriginals(PartitionScan.readAll(other), 0);
            assertThat(other.logEndOffset()).as(context).isEqualTo(RECORDS);

            PartitionLog p = log.partition("t", 0);
            if (!p.isOnline()) {
                assertThat(indexOnly)
                        .as(context + ": index damage alone took the partition offline: " + p.offlineReason())
                        .isFalse();
                assertNamesTheDamage(p.offlineReason(), damage, context);
                return false;
            }
            List<StoredRecord> read = new ArrayList<>();
            try {
                if (p.state() == PartitionState.DAMAGED) {
                    checkDamaged(p, damage, context);
                    return false;
                }
                read.addAll(PartitionScan.readAll(p));
            } catch (PartitionDamagedException e) {
                assertThat(indexOnly)
                        .as(context + ": index damage made a read fail: " + e.getMessage())
                        .isFalse();
                checkDamaged(p, damage, context);
                return false;
            } catch (AssertionError e) {
                throw new AssertionError(context + ": " + e.getMessage(), e);
            } catch (PartitionOfflineException e) {
                assertThat(indexOnly)
                        .as(context + ": index damage made a read fail: " + e.getMessage())
                        .isFalse();
                assertNamesTheDamage(p.offlineReason(), damage, context);
                return false;
            }
            assertThat(read.size())
                    .as(context + ": records before the damage are readable")
                    .isGreaterThanOrEqualTo((int) Math.min(intactBelow, RECORDS));
            if (indexOnly) {
                assertThat(read).as(context).hasSize(RECORDS);
            }
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i).offset()).as(context + ": dense offsets").isEqualTo(i);
                assertThat(read.get(i).toRecord())
                        .as(context + ": record %d", i)
                        .isEqualTo(TestRecords.forOffset(i));
            }
            assertThat(p.logEndOffset()).as(context + ": log end").isEqualTo(read.size());
            assertThat(p.append(TestRecords.range(p.logEndOffset(), 1)).baseOffset())
                    .as(context + ": appends continue at the log end")
                    .isEqualTo(read.size());
            if (read.size() < RECORDS) {
                assertThat(p.recoveryEvents())
                        .as(context + ": dropping records is reported")
                        .anySatisfy(e -> assertThat(e)
                                .contains(damage.file().getFileName().toString()));
            }
            return true;
        }
    }

    /**
     * A damaged partition: the range names the damaged file; everything outside it reads back exactly;
     * a repair drops only the range and reports it; afterwards everything else still reads back.
     */
    private static void checkDamaged(PartitionLog p, Damage damage, String context) {
        assertThat(p.damagedRanges()).as(context).isNotEmpty();
        DamagedRange range = p.damagedRanges().get(0);
        assertThat(range.file()).as(context).isEqualTo(damage.file());
        assertThat(range.position()).as(context + ": damage position").isLessThanOrEqualTo(damage.position());
        List<StoredRecord> before = PartitionScan.read(p, 0, range.fromOffset());
        assertThat(before).as(context + ": records before the damage").hasSize((int) range.fromOffset());
        PartitionScan.assertDenseOriginals(before, 0);
        PartitionScan.assertDenseOriginals(
                PartitionScan.read(p, range.toOffset(), p.highWatermark()), range.toOffset());
        List<RepairResult> repaired = p.repairByTruncation();
        assertThat(repaired).as(context).isNotEmpty();
        assertThat(repaired.get(0).fromOffset()).as(context).isEqualTo(range.fromOffset());
        assertThat(p.state()).as(context).isEqualTo(PartitionState.ONLINE);
        for (StoredRecord r : PartitionScan.readAll(p)) {
            assertThat(range.covers(r.offset()))
                    .as(context + ": offset %d in the dropped range", r.offset())
                    .isFalse();
            TestRecords.assertIsOriginal(r);
        }
    }

    private static void assertNamesTheDamage(String reason, Damage damage, String context) {
        assertThat(reason)
                .as(context + ": offline reason")
                .contains(damage.file().getFileName().toString().substring(0, 20));
        assertThat(reason).as(context + ": offline reason").containsIgnoringCase("position");
    }

    /** The first offset of the batch the damage hit, from the pristine copy of the segment. */
    private static long firstDamagedOffset(Damage damage) throws IOException {
        Path original = pristine.resolve("t").resolve("0").resolve(damage.file().getFileName());
        long base = SegmentFile.parseBaseOffset(original.getFileName().toString());
        if (damage.position() < SegmentFile.HEADER_END) {
            return base;
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(original));
        int position = SegmentFile.HEADER_END;
        while (position < bytes.limit()) {
            long batchBase = bytes.getLong(position);
            int size = bytes.getInt(position + 8) + 12;
            if (damage.position() < position + size) {
                return batchBase;
            }
            position += size;
        }
        return Long.MAX_VALUE;
    }

    @Test
    void shouldTruncateACorruptTailOfTheActiveSegmentAndReportWhatWasDropped() throws IOException {
        Path dir = copyPristine();
        Path partitionDir = dir.resolve("t").resolve("0");
        List<Path> segments = files(partitionDir, SegmentFile.LOG);
        Path active = segments.get(segments.size() - 1);
        long size = Files.size(active);
        try (RandomAccessFile raf = new RandomAccessFile(active.toFile(), "rw")) {
            raf.seek(size - 3);
            raf.write(raf.read() ^ 0x10); // inside the last batch: its CRC no longer matches
        }
        Damage damage = new Damage(active, size - 3, "flip in the last batch");
        long lost = firstDamagedOffset(damage);

        try (Log log = open(dir)) {
            PartitionLog p = log.partition("t", 0);
            assertThat(p.isOnline()).isTrue();
            assertThat(p.logEndOffset()).isEqualTo(lost);
            PartitionScan.assertDenseOriginals(PartitionScan.readAll(p), 0);
            assertThat(p.recoveryEvents())
                    .singleElement()
                    .asString()
                    .contains(active.getFileName().toString())
                    .contains("from offset " + lost)
                    .contains("CRC");
        }
    }

    @Test
    void shouldTakeOnlyTheTornRangeOfAClosedSegmentOutAndLeaveTheOtherPartitionAlone() throws IOException {
        Path dir = copyPristine();
        Path segment = files(dir.resolve("t").resolve("0"), SegmentFile.LOG).get(0);
        try (RandomAccessFile raf = new RandomAccessFile(segment.toFile(), "rw")) {
            raf.setLength(raf.length() - 5); // a torn batch inside a closed segment
        }
        try (Log log = open(dir)) {
            PartitionLog p = log.partition("t", 0);
            assertThat(p.state()).isEqualTo(PartitionState.DAMAGED);
            DamagedRange range = p.damagedRanges().get(0);
            assertThat(range.file()).isEqualTo(segment);
            assertThat(range.reason()).contains("torn batch");
            PartitionScan.assertDenseOriginals(PartitionScan.read(p, 0, range.fromOffset()), 0);
            PartitionScan.assertDenseOriginals(
                    PartitionScan.read(p, range.toOffset(), p.highWatermark()), range.toOffset());
            PartitionScan.assertDenseOriginals(PartitionScan.readAll(log.partition("t", 1)), 0);
            assertThat(log.partition("t", 1)
                            .append(TestRecords.range(RECORDS, 1))
                            .baseOffset())
                    .isEqualTo(RECORDS);
        }
    }

    @Test
    void shouldRebuildMissingIndexesWithoutLosingAnything() throws IOException {
        Path dir = copyPristine();
        Path partitionDir = dir.resolve("t").resolve("0");
        for (Path index : files(partitionDir, SegmentFile.INDEX)) {
            Files.delete(index);
        }
        for (Path index : files(partitionDir, SegmentFile.TIME_INDEX)) {
            Files.delete(index);
        }
        try (Log log = open(dir)) {
            PartitionLog p = log.partition("t", 0);
            PartitionScan.assertDenseOriginals(PartitionScan.readAll(p), 0);
            assertThat(p.logEndOffset()).isEqualTo(RECORDS);
            assertThat(p.offsetForTime(TestRecords.BASE_TIMESTAMP + 345)).hasValue(345);
        }
        try (Log log = open(dir)) {
            assertThat(log.partition("t", 0).recoveryEvents())
                    .as("the rebuilt indexes were saved")
                    .isEmpty();
        }
    }

    @Test
    void shouldReportNothingAfterCleanRestarts() throws IOException {
        Path dir = copyPristine();
        for (int i = 0; i < 3; i++) {
            try (Log log = open(dir)) {
                PartitionLog p = log.partition("t", 0);
                assertThat(p.recoveryEvents()).as("restart %d", i).isEmpty();
                p.append(TestRecords.range(p.logEndOffset(), 40));
            }
        }
    }
}
