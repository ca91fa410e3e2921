package io.sluice.connect.s3;

import io.sluice.testing.S3Fixture;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Drains records of about 1 KiB through {@link S3SinkTask#put} into s3proxy on loopback, as JSON and
 * as Parquet, and prints records/s, MB/s (of JSON-encoded input) and peak heap.
 *
 * <p>{@code bench/run s3 [records] [--null-store]}: objects go to files below {@code <dir>} (or, with
 * {@code --null-store}, s3proxy keeps only their length). Default 1,000,000 records.
 */
public final class S3SinkBench {

    private static final int PARTITIONS = 4;
    private static final int BATCH = 500;
    private static final Schema SCHEMA = SchemaBuilder.struct()
            .name("bench.Event")
            .field("id", Schema.INT64_SCHEMA)
            .field("tenant", Schema.STRING_SCHEMA)
            .field("kind", Schema.STRING_SCHEMA)
            .field("amount", Schema.INT32_SCHEMA)
            .field("ok", Schema.BOOLEAN_SCHEMA)
            .field("ts", Schema.INT64_SCHEMA)
            .field("payload", Schema.STRING_SCHEMA)
            .build();

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/s3-bench");
        long records = args.length > 1 ? Long.parseLong(args[1].replace("_", "")) : 1_000_000L;
        System.out.printf(
                "S3 sink: %,d records of ~1 KiB, %d partitions, batches of %d, s3proxy on 127.0.0.1"
                        + " (filesystem blob store in %s)%n",
                records, PARTITIONS, BATCH, dir);
        for (String format : System.getProperty("formats", "json,parquet").split(",")) {
            deleteTree(dir);
            Files.createDirectories(dir);
            try (S3Fixture s3 = S3Fixture.start(dir)) {
                run(s3, format, records);
            }
        }
        deleteTree(dir);
    }

    private static void run(S3Fixture s3, String format, long total) throws InterruptedException {
        String bucket = s3.createBucket("bench-" + format);
        Set<TopicPartition> tps = new java.util.HashSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            tps.add(new TopicPartition("events", p));
        }
        Map<String, String> props = SinkHarness.props(s3, bucket, "flush.size", "20000", "format.class", format);
        String[] payloads = payloads();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long bytes = 0;
        long start = System.nanoTime();
        try (SinkHarness sink = new SinkHarness(props, tps)) {
            long[] next = new long[PARTITIONS];
            long sent = 0;
            int p = 0;
            while (sent < total) {
                int n = (int) Math.min(BATCH, total - sent);
                List<SinkRecord> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long offset = next[p]++;
                    // unique per record, so Parquet's dictionaries cannot shrink it to nothing
                    String payload = offset + payloads[(int) (offset % payloads.length)];
                    bytes += 1024;
                    batch.add(new SinkRecord(
                            "events",
                            p,
                            null,
                            null,
                            SCHEMA,
                            event(offset, payload),
                            offset,
                            offset,
                            TimestampType.CREATE_TIME));
                }
                deliver(sink, batch);
                sent += n;
                p = (p + 1) % PARTITIONS;
                if (sent % 100_000 == 0) {
                    sink.commit();
                }
            }
            // the tail: close what is open, as a rotation would, and wait for the uploads
            for (TopicPartition tp : tps) {
                sink.task.preCommit(Map.of());
            }
            long elapsedNs = System.nanoTime() - start;
            sampler.interrupt();
            double seconds = elapsedNs / 1e9;
            System.out.printf(
                    "%-8s %,10d records in %6.2f s = %,9.0f records/s, %6.1f MB/s; peak heap %,d MB"
                            + " (%,d MB at start, s3proxy in the same JVM); task buffer peak %,d MB;"
                            + " %d objects%n",
                    format,
                    total,
                    seconds,
                    total / seconds,
                    bytes / seconds / 1e6,
                    peakHeap.get() >> 20,
                    heapBefore >> 20,
                    sink.task.peakBufferedBytes() >> 20,
                    s3.keys(bucket).size());
        }
    }

    private static void deliver(SinkHarness sink, List<SinkRecord> batch) throws InterruptedException {
        while (true) {
            try {
                sink.put(batch);
                return;
            } catch (RetriableException e) {
                Thread.sleep(Math.max(10, sink.context.timeoutMs));
            }
        }
    }

    private static Struct event(long id, String payload) {
        return new Struct(SCHEMA)
                .put("id", id)
                .put("tenant", "tenant-" + (id % 97))
                .put("kind", (id & 1) == 0 ? "order.created" : "order.updated")
                .put("amount", (int) (id % 10_000))
                .put("ok", id % 3 != 0)
                .put("ts", 1_714_978_800_000L + id)
                .put("payload", payload);
    }

    /** 64 different payloads sized so a JSON line is about 1 KiB. */
    private static String[] payloads() {
        String[] payloads = new String[64];
        java.util.Random random = new java.util.Random(1);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
        for (int i = 0; i < payloads.length; i++) {
            StringBuilder s = new StringBuilder();
            for (int c = 0; c < 880; c++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            payloads[i] = s.toString();
        }
        return payloads;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
    }
}
