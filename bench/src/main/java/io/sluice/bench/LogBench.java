package io.sluice.bench;

import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Log benchmark: appends 1 KiB records in batches of 100 and 1000 under flush=interval and
 * flush=always, then fetches everything back from the page cache. Prints throughput and append
 * latency percentiles. Usage: {@code LogBench <dataDir> [--quick]}.
 */
public final class LogBench {

    private static final int RECORD_BYTES = 1024;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean quick = args.length > 1 && args[1].equals("--quick");
        long intervalBytes = (quick ? 256L : 2048L) << 20;
        long alwaysBytes = (quick ? 64L : 256L) << 20;
        System.out.printf("## append: 1 KiB records (16-byte keys), one partition, one appender thread%n");
        System.out.printf(
                "%-10s %-8s %10s %12s %10s %10s %10s%n",
                "flush", "batch", "MB/s", "records/s", "p50 us", "p99 us", "max us");
        for (String flush : List.of("interval", "always")) {
            for (int batch : List.of(100, 1000)) {
                run(dir, flush, batch, flush.equals("interval") ? intervalBytes : alwaysBytes, true);
            }
        }
        System.out.printf("## append: two appender threads on two partitions, flush=interval, batch 1000%n");
        runParallel(dir, intervalBytes);
    }

    private static List<Record> batch(Random random, int size) {
        List<Record> records = new ArrayList<>(size);
        long now = System.currentTimeMillis();
        for (int i = 0; i < size; i++) {
            byte[] key = new byte[16];
            byte[] value = new byte[RECORD_BYTES - 16];
            random.nextBytes(key);
            random.nextBytes(value);
            records.add(Record.of(key, value, now));
        }
        return records;
    }

    private static void run(Path root, String flush, int batchSize, long totalBytes, boolean fetchAfter)
            throws Exception {
        Path dir = root.resolve("bench-" + flush + "-" + batchSize);
        deleteRecursively(dir);
        Random random = new Random(42);
        List<List<Record>> pool = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            pool.add(batch(random, batchSize));
        }
        long batches = totalBytes / ((long) batchSize * RECORD_BYTES);
        long[] latencies = new long[(int) batches];
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("bench", Map.of("flush", flush, "segment.bytes", Integer.toString(512 << 20)));
            PartitionLog p = log.partition("bench", 0);
            long warm = Math.min(batches / 10, 200);
            for (int i = 0; i < warm; i++) {
                p.append(pool.get(i % pool.size()));
            }
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                long t0 = System.nanoTime();
                p.append(pool.get(i % pool.size()));
                latencies[i] = System.nanoTime() - t0;
            }
            double secs = (System.nanoTime() - start) / 1e9;
            long records = batches * batchSize;
            Arrays.sort(latencies);
            System.out.printf(
                    "%-10s %-8d %10.0f %12.0f %10.0f %10.0f %10.0f%n",
                    flush,
                    batchSize,
                    records * (double) RECORD_BYTES / secs / 1e6,
                    records / secs,
                    pct(latencies, 0.50),
                    pct(latencies, 0.99),
                    latencies[latencies.length - 1] / 1e3);
            if (fetchAfter && flush.equals("interval") && batchSize == 1000) {
                fetch(p);
            }
        }
        deleteRecursively(dir);
    }

    private static void fetch(PartitionLog p) {
        for (int pass = 0; pass < 2; pass++) {
            long bytes = 0;
            long records = 0;
            long offset = p.logStartOffset();
            long start = System.nanoTime();
            boolean decode = pass == 1;
            while (offset < p.highWatermark()) {
                FetchResult r = p.fetch(offset, 4 << 20);
                bytes += r.sizeInBytes();
                if (decode) {
                    records += r.records().size();
                }
                offset = r.nextOffset();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            if (decode) {
                System.out.printf(
                        "## fetch + decode into records: %.0f MB/s, %.0f records/s%n",
                        bytes / secs / 1e6, records / secs);
            } else {
                System.out.printf(
                        "## fetch (page cache, 4 MiB fetches, CRC-checked batches): %.0f MB/s (%.2f GB in %.2f s)%n",
                        bytes / secs / 1e6, bytes / 1e9, secs);
            }
        }
    }

    private static void runParallel(Path root, long totalBytes) throws Exception {
        Path dir = root.resolve("bench-parallel");
        deleteRecursively(dir);
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("bench", Map.of("partitions", "2", "segment.bytes", Integer.toString(512 << 20)));
            AtomicLong written = new AtomicLong();
            long perThread = totalBytes / 2 / (1000L * RECORD_BYTES);
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < 2; t++) {
                PartitionLog p = log.partition("bench", t);
                List<Record> records = batch(new Random(t), 1000);
                Thread thread = new Thread(() -> {
                    for (long i = 0; i < perThread; i++) {
                        p.append(records);
                        written.addAndGet(1000);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "%-10s %-8d %10.0f %12.0f%n",
                    "interval", 1000, written.get() * (double) RECORD_BYTES / secs / 1e6, written.get() / secs);
        }
        deleteRecursively(dir);
    }

    private static double pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e3;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
