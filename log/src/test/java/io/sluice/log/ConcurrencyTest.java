package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appenders, plain and long-poll readers, background and explicit retention and compaction, all at
 * once on one log. Every record carries its writer and sequence number, so readers check content and
 * order without coordination.
 */
class ConcurrencyTest {

    private static final int WRITERS = 3;
    private static final int BATCHES_PER_WRITER = 150;
    private static final int TABLE_KEYS = 20;

    @TempDir
    Path dir;

    @RegisterExtension
    final LogEvents logEvents = new LogEvents();

    private Log log;
    private ExecutorService pool;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (log != null) {
            log.close();
        }
    }

    private void openLog() {
        log = Log.open(LogOptions.defaults(dir)
                .withIntervals(Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20)));
        log.createTopic("events", Map.of("partitions", "2", "segment.bytes", "4096", "retention.ms", "-1"));
        log.createTopic("sized", Map.of("segment.bytes", "2048", "retention.bytes", "8192", "retention.ms", "-1"));
        log.createTopic(
                "table", Map.of("cleanup.policy", "compact", "segment.bytes", "1024", "delete.retention.ms", "0"));
    }

    static Record record(int writer, long seq, String key) {
        SplittableRandom random = new SplittableRandom(writer * 1_000_003L + seq);
        byte[] value = new byte[random.nextInt(300)];
        random.nextBytes(value);
        return new Record(
                key.getBytes(StandardCharsets.UTF_8),
                value,
                List.of(
                        new Header(
                                "writer", ByteBuffer.allocate(4).putInt(writer).array()),
                        new Header("seq", ByteBuffer.allocate(8).putLong(seq).array())),
                System.currentTimeMillis());
    }

    private static int writerOf(StoredRecord r) {
        return ByteBuffer.wrap(r.headers().get(0).value()).getInt();
    }

    private static long seqOf(StoredRecord r) {
        return ByteBuffer.wrap(r.headers().get(1).value()).getLong();
    }

    private static void assertOriginal(StoredRecord r) {
        Record expected = record(writerOf(r), seqOf(r), new String(r.key(), StandardCharsets.UTF_8));
        assertThat(r.value()).as("value of the record at %d", r.offset()).isEqualTo(expected.value());
    }

    @Test
    void shouldShowReadersDenseOrderedCommittedRecordsWhileEverythingRunsAtOnce() throws Exception {
        openLog();
        pool = Executors.newCachedThreadPool();
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        Map<Integer, AtomicLong> writtenPerPartition = Map.of(0, new AtomicLong(), 1, new AtomicLong());
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                start.await();
                append(writer, writtenPerPartition);
                return null;
            }));
        }
        Map<String, Record> tableLatest = new ConcurrentHashMap<>();
        writers.add(pool.submit(() -> {
            start.await();
            appendTable(tableLatest);
            return null;
        }));
        List<Future<List<StoredRecord>>> eventReaders = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int partition = p;
            eventReaders.add(pool.submit(() -> {
                start.await();
                return readUntilWritersStop(log.partition("events", partition), writing);
            }));
        }
        Future<?> sizedReader = pool.submit(() -> {
            start.await();
            followThroughRetention(log.partition("sized", 0), writing);
            return null;
        });
        Future<?> tableReader = pool.submit(() -> {
            start.await();
            while (writing.get()) {
                PartitionScan.readAll(log.partition("table", 0)).forEach(ConcurrencyTest::assertOriginal);
            }
            return null;
        });
        Future<?> maintainer = pool.submit(() -> {
            start.await();
            while (writing.get()) {
                log.runMaintenance(); // races the background maintenance on purpose
            }
            return null;
        });

        start.countDown();
        for (Future<?> f : writers) {
            f.get(60, TimeUnit.SECONDS);
        }
        writing.set(false);
        maintainer.get(30, TimeUnit.SECONDS);
        tableReader.get(30, TimeUnit.SECONDS);
        sizedReader.get(30, TimeUnit.SECONDS);

        for (int p = 0; p < 2; p++) {
            List<StoredRecord> seen = eventReaders.get(p).get(30, TimeUnit.SECONDS);
            PartitionLog partition = log.partition("events", p);
            assertThat(seen).hasSize((int) writtenPerPartition.get(p).get());
            assertThat(partition.logEndOffset()).isEqualTo(seen.size());
            assertThat(PartitionScan.readAll(partition)).hasSameSizeAs(seen);
        }
        Map<String, StoredRecord> lastRead = new HashMap<>();
        for (StoredRecord r : PartitionScan.readAll(log.partition("table", 0))) {
            lastRead.put(new String(r.key(), StandardCharsets.UTF_8), r);
        }
        assertThat(lastRead).hasSameSizeAs(tableLatest);
        tableLatest.forEach((key, record) -> assertThat(lastRead.get(key).value())
                .as("latest value of %s", key)
                .isEqualTo(record.value()));
        logEvents.assertNoProblems();
    }

    private void append(int writer, Map<Integer, AtomicLong> writtenPerPartition) {
        SplittableRandom random = new SplittableRandom(writer);
        long seq = 0;
        for (int b = 0; b < BATCHES_PER_WRITER; b++) {
            int partition = random.nextInt(2);
            int size = 1 + random.nextInt(10);
            List<Record> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                batch.add(record(writer, seq++, "w" + writer));
            }
            AppendResult r = log.partition("events", partition).append(batch);
            assertThat(r.lastOffset() - r.baseOffset()).isEqualTo(size - 1);
            writtenPerPartition.get(partition).addAndGet(size);
            log.partition("sized", 0).append(batch);
        }
    }

    private void appendTable(Map<String, Record> latest) {
        SplittableRandom random = new SplittableRandom(99);
        for (long seq = 0; seq < 1_500; seq++) {
            String key = "k" + random.nextInt(TABLE_KEYS);
            Record r = record(WRITERS, seq, key);
            log.partition("table", 0).append(List.of(r));
            latest.put(key, r);
        }
    }

    /** Long-polls from offset 0 until the writers stopped and everything committed was read. */
    private static List<StoredRecord> readUntilWritersStop(PartitionLog p, AtomicBoolean writing)
            throws InterruptedException {
        List<StoredRecord> seen = new ArrayList<>();
        Map<Integer, Long> lastSeq = new HashMap<>();
        long next = 0;
        while (writing.get() || next < p.highWatermark()) {
            FetchResult result = p.fetch(next, 8 * 1024, Duration.ofMillis(100));
            for (StoredRecord r : result.records()) {
                assertThat(r.offset()).as("dense offsets in %s", p).isEqualTo(next);
                assertThat(r.offset()).as("committed").isLessThan(result.highWatermark());
                assertOriginal(r);
                Long previous = lastSeq.put(writerOf(r), seqOf(r));
                assertThat(seqOf(r)).as("per-writer order").isGreaterThan(previous == null ? -1 : previous);
                seen.add(r);
                next++;
            }
            assertThat(result.nextOffset()).isEqualTo(next);
        }
        return seen;
    }

    /** Reads a partition whose start moves under the reader: jumps forward when records expire. */
    private static void followThroughRetention(PartitionLog p, AtomicBoolean writing) throws InterruptedException {
        long next = 0;
        int jumps = 0;
        while (writing.get() || next < p.highWatermark()) {
            FetchResult result;
            try {
                result = p.fetch(next, 4 * 1024, Duration.ofMillis(50));
            } catch (OffsetOutOfRangeException e) {
                assertThat(e.logStartOffset()).isGreaterThan(next);
                next = e.logStartOffset();
                jumps++;
                continue;
            }
            for (StoredRecord r : result.records()) {
                assertThat(r.offset()).as("dense offsets in %s", p).isEqualTo(next);
                assertOriginal(r);
                next++;
            }
        }
        assertThat(p.logStartOffset()).as("retention ran").isPositive();
        assertThat(jumps).isGreaterThanOrEqualTo(0);
    }

    @Test
    void shouldKeepThePartitionWorkingWhenAReaderIsInterrupted() throws Exception {
        openLog();
        PartitionLog p = log.partition("events", 0);
        p.append(List.of(record(0, 0, "a"), record(0, 1, "a")));

        Thread.currentThread().interrupt();
        FetchResult result;
        try {
            result = p.fetch(0, 1024);
        } finally {
            assertThat(Thread.interrupted())
                    .as("the interrupt is kept for the caller")
                    .isTrue();
        }

        assertThat(result.records()).hasSize(2);
        assertThat(p.isOnline()).isTrue();
        assertThat(p.append(List.of(record(0, 2, "a"))).baseOffset()).isEqualTo(2);
        assertThat(PartitionScan.readAll(p)).hasSize(3);
    }

    @Test
    void shouldWakeALongPollWhenRecordsArrive() throws Exception {
        openLog();
        PartitionLog p = log.partition("events", 0);
        pool = Executors.newSingleThreadExecutor();
        CountDownLatch polling = new CountDownLatch(1);
        Future<FetchResult> poll = pool.submit(() -> {
            polling.countDown();
            return p.fetch(0, 1024, Duration.ofSeconds(30));
        });
        polling.await();

        p.append(List.of(record(0, 0, "a")));

        FetchResult result = poll.get(10, TimeUnit.SECONDS);
        assertThat(result.records()).hasSize(1);
    }
}
