package io.sluice.connect.elasticsearch;

import io.sluice.testing.Elasticsearch7Node;
import io.sluice.testing.SearchNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Throughput (1 KiB schemaless JSON records through put() until acknowledged) and put()-to-
 * searchable latency at a steady rate, against an in-process Elasticsearch 7.10.2 node. Args:
 * [records for throughput, default 200000] [seconds at 1,000 records/s, default 20].
 */
public final class ElasticsearchSinkBench {

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (SearchNode node = Elasticsearch7Node.start(
                        Path.of(System.getProperty("bench.dir", "target"), "bench-node-" + System.nanoTime()));
                IndexReader reader = new IndexReader(node.url())) {
            throughput(node, records);
            latency(node, reader, seconds);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the task's HTTP client threads would keep exec:java waiting after a failure
    }

    static void throughput(SearchNode node, int records) {
        String topic = "bench-throughput";
        ElasticsearchSinkTask task = task(node, topic);
        char[] filler = new char[1000];
        Arrays.fill(filler, 'x');
        String payload = new String(filler);
        long start = System.nanoTime();
        for (int offset = 0; offset < records; offset += 500) {
            List<SinkRecord> batch = new ArrayList<>(500);
            for (int i = offset; i < Math.min(records, offset + 500); i++) {
                batch.add(new SinkRecord(topic, 0, null, null, null, Map.of("n", i, "body", payload), i));
            }
            task.put(batch);
            waitWhilePaused(task);
        }
        SearchSinkContractIT.awaitCommitted(task, topic, records);
        double secs = (System.nanoTime() - start) / 1e9;
        task.stop();
        System.out.printf("throughput: %d docs of ~1 KiB in %.1f s = %.0f docs/s%n", records, secs, records / secs);
    }

    private static final ThreadLocal<FakeSinkTaskContext> CONTEXT = new ThreadLocal<>();

    private static void waitWhilePaused(ElasticsearchSinkTask task) {
        FakeSinkTaskContext context = CONTEXT.get();
        while (!context.paused.isEmpty()) {
            task.put(List.of()); // as the framework does while partitions are paused
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    static void latency(SearchNode node, IndexReader reader, int seconds) throws Exception {
        String topic = "bench-latency";
        ElasticsearchSinkTask task = task(node, topic);
        int total = seconds * 1000;
        long[] putAt = new long[total];
        long[] visibleAt = new long[total];
        AtomicLong visible = new AtomicLong();
        Thread poller = new Thread(() -> {
            try {
                while (visible.get() < total) {
                    long count;
                    try {
                        count = reader.get("/" + topic + "/_count")
                                .path("count")
                                .asLong();
                    } catch (java.io.IOException e) {
                        count = 0; // the index is created with the first bulk request
                    }
                    long now = System.nanoTime();
                    for (long i = visible.get(); i < count && i < total; i++) {
                        visibleAt[(int) i] = now;
                    }
                    visible.set(Math.max(visible.get(), count));
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                if (!(e instanceof InterruptedException)) {
                    e.printStackTrace();
                }
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * 1_000_000L; // one record per millisecond
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            if (i == 0) {
                poller.start();
            }
            putAt[i] = System.nanoTime();
            task.put(List.of(new SinkRecord(topic, 0, null, null, null, Map.of("n", i, "body", "x".repeat(1000)), i)));
        }
        poller.join(60_000);
        task.stop();
        long[] ms = new long[total];
        for (int i = 0; i < total; i++) {
            ms[i] = (visibleAt[i] - putAt[i]) / 1_000_000;
        }
        Arrays.sort(ms);
        System.out.printf(
                "latency put()->searchable at 1000 records/s for %d s: p50 %d ms, p99 %d ms, max %d ms%n",
                seconds, ms[total / 2], ms[(int) (total * 0.99)], ms[total - 1]);
    }

    static ElasticsearchSinkTask task(SearchNode node, String topic) {
        FakeSinkTaskContext context = new FakeSinkTaskContext(Set.of(new TopicPartition(topic, 0)), false);
        CONTEXT.set(context);
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", node.url());
        props.put("key.ignore", "true");
        props.put("schema.ignore", "true");
        props.put("read.timeout.ms", "30000");
        ElasticsearchSinkTask task = new ElasticsearchSinkTask();
        task.initialize(context);
        task.start(props);
        return task;
    }
}
