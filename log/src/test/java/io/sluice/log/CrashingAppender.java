package io.sluice.log;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The child process of {@link CrashRecoveryIT}: opens the log, prints {@code START <log end>}, then
 * appends batches of random sizes forever, printing {@code ACK <base> <last>} after each append
 * returned. It is meant to be killed with SIGKILL at any moment.
 *
 * <p>Arguments: data directory, mode ({@code plain}, {@code small-segments} or {@code compacted}), seed.
 */
public final class CrashingAppender {

    static final String TOPIC = "crash";
    static final int COMPACTED_KEYS = 23;

    private CrashingAppender() {}

    static Map<String, String> topicSettings(String mode) {
        return switch (mode) {
            case "plain" -> Map.of("retention.ms", "-1", "segment.bytes", "65536");
            case "small-segments" ->
                Map.of("retention.ms", "-1", "segment.bytes", "1024", "index.interval.bytes", "64");
            case "compacted" -> Map.of("cleanup.policy", "compact", "segment.bytes", "1024");
            default -> throw new IllegalArgumentException(mode);
        };
    }

    /** The record the child appends at {@code offset} in {@code mode}. */
    static Record recordAt(String mode, long offset) {
        if (!mode.equals("compacted")) {
            return TestRecords.forOffset(offset);
        }
        byte[] key = ("k" + offset % COMPACTED_KEYS).getBytes(StandardCharsets.UTF_8);
        return TestRecords.withKey(offset, key, offset % 17 == 0);
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        Log log = Log.open(LogOptions.defaults(dir));
        log.createTopic(TOPIC, topicSettings(mode));
        PartitionLog p = log.partition(TOPIC, 0);
        long next = p.logEndOffset();
        System.out.println("START " + next);
        System.out.flush();
        for (int batchNo = 1; ; batchNo++) {
            int size = 1 + random.nextInt(30);
            List<Record> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(recordAt(mode, next + i));
            }
            AppendResult result = p.append(batch);
            if (result.baseOffset() != next) {
                System.out.println("WRONG-OFFSET expected " + next + " got " + result.baseOffset());
                System.out.flush();
                System.exit(3);
            }
            System.out.println("ACK " + result.baseOffset() + " " + result.lastOffset());
            System.out.flush();
            next = result.lastOffset() + 1;
            if (mode.equals("compacted") && batchNo % 5 == 0) {
                log.runMaintenance();
            }
        }
    }
}
