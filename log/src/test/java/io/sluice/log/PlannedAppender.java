package io.sluice.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The child process of {@link LogPropertiesTest}: opens the log, appends the batches of a plan file in
 * order, printing {@code ACK <batch index> <base> <last>} after each append returned, then {@code DONE},
 * then waits to be killed. It is meant to be killed with SIGKILL at any moment.
 *
 * <p>Arguments: data directory, plan file (one batch a line: {@code keyId:valueLength} pairs separated
 * by commas; keyId -1 is a key unique to the offset), then topic settings as {@code name=value}.
 */
public final class PlannedAppender {

    static final String TOPIC = "planned";

    private PlannedAppender() {}

    /** One record of a plan: a shared key ({@code keyId >= 0}) or one unique to its offset, and a value size. */
    record Planned(int keyId, int valueLength) {}

    /** The record a plan entry becomes at {@code offset}: its content is a function of both. */
    static Record recordAt(long offset, Planned planned) {
        String key = planned.keyId() < 0 ? "u" + offset : "d" + planned.keyId();
        byte[] value = new byte[planned.valueLength()];
        new SplittableRandom(offset * 0x9E3779B97F4A7C15L + planned.valueLength()).nextBytes(value);
        return new Record(key.getBytes(StandardCharsets.UTF_8), value, List.of(), TestRecords.BASE_TIMESTAMP + offset);
    }

    static List<Record> records(long base, List<Planned> batch) {
        List<Record> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.add(recordAt(base + i, batch.get(i)));
        }
        return out;
    }

    static void writePlan(Path file, List<List<Planned>> plan) throws IOException {
        List<String> lines = new ArrayList<>();
        for (List<Planned> batch : plan) {
            List<String> entries = new ArrayList<>();
            for (Planned r : batch) {
                entries.add(r.keyId() + ":" + r.valueLength());
            }
            lines.add(String.join(",", entries));
        }
        Files.write(file, lines);
    }

    static List<List<Planned>> readPlan(Path file) throws IOException {
        List<List<Planned>> plan = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            List<Planned> batch = new ArrayList<>();
            for (String entry : line.split(",")) {
                String[] parts = entry.split(":");
                batch.add(new Planned(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
            }
            plan.add(batch);
        }
        return plan;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<List<Planned>> plan = readPlan(Path.of(args[1]));
        Map<String, String> settings = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        Log log = Log.open(LogOptions.defaults(dir));
        log.createTopic(TOPIC, settings);
        PartitionLog p = log.partition(TOPIC, 0);
        System.out.println("START " + p.logEndOffset());
        System.out.flush();
        for (int i = 0; i < plan.size(); i++) {
            long base = p.logEndOffset();
            AppendResult result = p.append(records(base, plan.get(i)));
            System.out.println("ACK " + i + " " + result.baseOffset() + " " + result.lastOffset());
            System.out.flush();
        }
        System.out.println("DONE");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
