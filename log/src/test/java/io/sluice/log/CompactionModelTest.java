package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random puts and tombstones over a small key space with tiny segments, compacted at random moments
 * of an injected clock, checked against an in-memory model of what compaction must keep.
 */
class CompactionModelTest {

    private static final int KEYS = 12;
    private static final long DELETE_RETENTION_MS = 1_000;

    @TempDir
    Path dir;

    @RegisterExtension
    final LogEvents logEvents = new LogEvents();

    private final AtomicLong clock = new AtomicLong(TestRecords.BASE_TIMESTAMP);
    private Log log;

    @AfterEach
    void closeLog() {
        if (log != null) {
            log.close();
        }
    }

    private PartitionLog open() {
        if (log != null) {
            log.close();
        }
        log = Log.open(LogOptions.defaults(dir)
                .withClock(clock::get)
                .withIntervals(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMillis(10)));
        log.createTopic(
                "table",
                Map.of(
                        "cleanup.policy", "compact",
                        "segment.bytes", "1024",
                        "delete.retention.ms", Long.toString(DELETE_RETENTION_MS),
                        "index.interval.bytes", "128"));
        return log.partition("table", 0);
    }

    /** What the partition must hold: every append, and when compaction first saw each tombstone. */
    private static final class Model {
        final List<Record> appended = new CopyOnWriteArrayList<>(); // index = offset
        final Map<Long, Long> tombstoneFirstSeen = new HashMap<>();
        final Map<Long, Long> tombstoneDroppable = new HashMap<>();

        /** Offset of the latest record per key below {@code end}. */
        Map<String, Long> latest(long end) {
            Map<String, Long> latest = new HashMap<>();
            for (int o = 0; o < end; o++) {
                latest.put(keyOf(appended.get(o)), (long) o);
            }
            return latest;
        }

        /** Called just before a compaction at {@code now} that sees every offset below {@code closedEnd}. */
        void compactionRuns(long now, long closedEnd) {
            for (long offset : latest(appended.size()).values()) {
                if (appended.get((int) offset).value() == null && offset < closedEnd) {
                    long seen = tombstoneFirstSeen.computeIfAbsent(offset, o -> now);
                    if (now >= seen + DELETE_RETENTION_MS) {
                        tombstoneDroppable.put(offset, now);
                    }
                }
            }
        }
    }

    private static String keyOf(Record r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    private static Record recordFor(long offset, int key, boolean tombstone) {
        return TestRecords.withKey(offset, ("k" + key).getBytes(StandardCharsets.UTF_8), tombstone);
    }

    @RepeatedTest(8)
    void shouldKeepTheLatestValueOfEveryKey(RepetitionInfo repetition) {
        long seed =
                Long.getLong("compaction.seed", 7919L * repetition.getCurrentRepetition() + System.nanoTime() % 1000);
        System.out.println("CompactionModelTest seed " + seed);
        Random random = new Random(seed);
        PartitionLog p = open();
        Model model = new Model();
        int compactions = 0;
        for (int step = 0; step < 300; step++) {
            appendRandomBatch(p, model, random);
            clock.addAndGet(random.nextInt(120));
            if (random.nextInt(10) == 0) {
                compact(p, model);
                compactions++;
                check(p, model, "seed " + seed + " after compaction at step " + step);
            }
            if (random.nextInt(60) == 0) {
                p = open();
                check(p, model, "seed " + seed + " after reopen at step " + step);
            }
        }
        clock.addAndGet(DELETE_RETENTION_MS);
        compact(p, model);
        compact(p, model);
        check(p, model, "seed " + seed + " at the end");
        p = open();
        check(p, model, "seed " + seed + " after the final reopen");

        assertThat(compactions).isPositive();
        assertThat(PartitionScan.readAll(p).size())
                .as("compaction removed superseded records")
                .isLessThan(model.appended.size() / 2);
        logEvents.assertNoProblems();
    }

    private void appendRandomBatch(PartitionLog p, Model model, Random random) {
        int size = 1 + random.nextInt(6);
        long base = p.logEndOffset();
        List<Record> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(recordFor(base + i, random.nextInt(KEYS), random.nextInt(8) == 0));
        }
        assertThat(base).isEqualTo(model.appended.size());
        model.appended.addAll(batch); // before the append, so a concurrent reader never sees more than the model
        assertThat(p.append(batch).baseOffset()).isEqualTo(base);
    }

    private void compact(PartitionLog p, Model model) {
        model.compactionRuns(clock.get(), p.activeSegment().baseOffset());
        long end = p.logEndOffset();
        log.runMaintenance();
        assertThat(p.logEndOffset()).as("compaction never moves the log end").isEqualTo(end);
    }

    private void check(PartitionLog p, Model model, String when) {
        long end = model.appended.size();
        assertThat(p.logEndOffset()).as(when).isEqualTo(end);
        assertThat(p.highWatermark()).as(when).isEqualTo(end);
        List<StoredRecord> read = PartitionScan.readAll(p);
        Map<String, StoredRecord> lastRead = new HashMap<>();
        for (StoredRecord r : read) {
            assertThat(r.toRecord()).as(when + ": record at %d", r.offset()).isEqualTo(model.appended.get((int)
                    r.offset()));
            lastRead.put(new String(r.key(), StandardCharsets.UTF_8), r);
        }
        model.latest(end).forEach((key, offset) -> {
            Record expected = model.appended.get(offset.intValue());
            StoredRecord got = lastRead.get(key);
            if (expected.value() != null) {
                assertThat(got).as(when + ": latest value of " + key).isNotNull();
                assertThat(got.offset())
                        .as(when + ": offset of the latest value of " + key)
                        .isEqualTo(offset);
            } else if (model.tombstoneDroppable.containsKey(offset)) {
                assertThat(got)
                        .as(when + ": " + key + " was deleted at " + offset + " more than delete.retention.ms ago")
                        .isNull();
            } else {
                assertThat(got).as(when + ": tombstone of " + key).isNotNull();
                assertThat(got.offset()).as(when + ": tombstone of " + key).isEqualTo(offset);
            }
        });
    }

    @Test
    void shouldNeverHideALatestValueFromAReaderScanningDuringCompaction() throws Exception {
        Random random = new Random(42);
        PartitionLog p = open();
        Model model = new Model();
        for (int i = 0; i < 150; i++) {
            appendRandomBatch(p, model, random);
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger scans = new AtomicInteger();
        PartitionLog partition = p;
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    scanAndCheckLiveKeys(partition, model);
                    scans.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (int round = 0; round < 15 && failure.get() == null; round++) {
            for (int i = 0; i < 10; i++) {
                appendRandomBatch(p, model, random);
            }
            clock.addAndGet(300);
            compact(p, model);
            int before = scans.get();
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> scans.get() > before || failure.get() != null);
        }
        done.set(true);
        reader.join();
        assertThat(failure.get()).as("reader failure").isNull();
        assertThat(scans.get()).isGreaterThan(15);
        logEvents.assertNoProblems();
    }

    /** One scan up to the high watermark it started with; every key not updated since keeps its value. */
    private static void scanAndCheckLiveKeys(PartitionLog p, Model model) {
        long target = p.highWatermark();
        Map<String, Long> lastSeen = new HashMap<>();
        for (StoredRecord r : PartitionScan.read(p, p.logStartOffset(), target)) {
            assertThat(r.toRecord()).isEqualTo(model.appended.get((int) r.offset()));
            lastSeen.put(new String(r.key(), StandardCharsets.UTF_8), r.offset());
        }
        // keys rewritten at or after the target may legitimately have lost their older value
        Map<String, Long> latestNow = model.latest(model.appended.size());
        model.latest(target).forEach((key, offset) -> {
            boolean live = model.appended.get(offset.intValue()).value() != null;
            if (live && latestNow.get(key).equals(offset)) {
                assertThat(lastSeen.get(key))
                        .as("scan up to %d: latest value of %s", target, key)
                        .isEqualTo(offset);
            }
        });
    }
}
