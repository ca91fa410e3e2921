package io.sluice.bench;

import io.sluice.bench.connectors.BenchSourceConnector;
import io.sluice.bench.connectors.DiscardSinkConnector;
import io.sluice.bench.connectors.DiscardSinkTask;
import io.sluice.core.service.ConnectorService;
import io.sluice.core.status.TargetState;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * End-to-end worker benchmark: a synthetic source (pre-built values, big batches) → the log → a
 * discarding sink, through one worker started in this JVM. Prints the sink-side rate after a
 * warm-up. Usage: {@code WorkerBench <dataDir> [valueBytes] [warmupSeconds] [seconds] [batch]}.
 */
public final class WorkerBench {

    private static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int valueBytes = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 5000;
        long start = System.nanoTime();
        ConfigurableApplicationContext ctx = SpringApplication.run(
                Class.forName("io.sluice.worker.SluiceApplication"),
                "--sluice.data-dir=" + dir,
                "--server.port=0",
                "--server.address=127.0.0.1",
                "--sluice.plugin-path=" + dir.resolve("no-plugins"),
                "--logging.level.root=WARN");
        System.out.printf("## worker started in-process in %.2f s%n", (System.nanoTime() - start) / 1e9);
        try {
            ConnectorService connectors = ctx.getBean(ConnectorService.class);
            Map<String, String> source = new HashMap<>(Map.of(
                    "connector.class",
                    BenchSourceConnector.class.getName(),
                    "topic",
                    "bench",
                    "tasks.max",
                    "1",
                    "batch.size",
                    Integer.toString(batch),
                    "value.bytes",
                    Integer.toString(valueBytes),
                    "key.converter",
                    BYTES,
                    "value.converter",
                    BYTES));
            Map<String, String> sink = new HashMap<>(Map.of(
                    "connector.class",
                    DiscardSinkConnector.class.getName(),
                    "topics",
                    "bench",
                    "tasks.max",
                    "1",
                    "consumer.override.max.poll.records",
                    Integer.toString(batch),
                    "key.converter",
                    BYTES,
                    "value.converter",
                    BYTES));
            connectors.createConnector("bench-sink", sink, TargetState.STARTED);
            connectors.createConnector("bench-source", source, TargetState.STARTED);
            Thread.sleep(warmup * 1000L);
            long r0 = DiscardSinkTask.RECORDS.get();
            long b0 = DiscardSinkTask.BYTES.get();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long r1 = DiscardSinkTask.RECORDS.get();
            long b1 = DiscardSinkTask.BYTES.get();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "## end to end, %d-byte values, batches of %d, 1 source task -> log -> 1 sink task,"
                            + " after %d s warm-up, over %.1f s%n",
                    valueBytes, batch, warmup, s);
            System.out.printf(
                    "records/s %.0f   MB/s (values) %.1f   records delivered in total %d%n",
                    (r1 - r0) / s, (b1 - b0) / s / 1e6, r1);
        } finally {
            ctx.close();
        }
    }
}
