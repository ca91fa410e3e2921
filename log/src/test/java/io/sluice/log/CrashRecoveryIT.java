package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends to a log and is killed with SIGKILL at a random moment, again and again over the
 * same data directory. After every kill the log must hold every acknowledged record, in order, with its
 * exact content, dense offsets and nothing torn, and the next child must continue at the log end.
 */
class CrashRecoveryIT {

    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryAcknowledgedRecordAcrossKills() throws Exception {
        crashRepeatedly("plain");
    }

    @Test
    void shouldKeepEveryAcknowledgedRecordWhenKillsLandAroundSegmentRolls() throws Exception {
        crashRepeatedly("small-segments");
    }

    @Test
    void shouldKeepTheLatestAcknowledgedValuePerKeyWhileCompactionRuns() throws Exception {
        crashRepeatedly("compacted");
    }

    private void crashRepeatedly(String mode) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryIT " + mode + " seed " + seed);
        Random random = new Random(seed);
        long end = 0;
        long acknowledgedEnd = 0;
        Map<String, Long> latestAcknowledged = new HashMap<>();
        int segmentsSeen = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            List<long[]> acks = runAndKill(mode, random.nextLong(), 1 + random.nextInt(120), end);
            String context = mode + " seed " + seed + " kill " + kill;
            assertThat(acks).as(context + ": the child acknowledged something").isNotEmpty();
            assertThat(acks.get(0)[0])
                    .as(context + ": the restarted child continues at the log end")
                    .isEqualTo(end);
            for (long[] ack : acks) {
                for (long o = ack[0]; o <= ack[1]; o++) {
                    latestAcknowledged.put(
                            new String(CrashingAppender.recordAt(mode, o).key(), StandardCharsets.UTF_8), o);
                }
                acknowledgedEnd = ack[1] + 1;
            }
            try (Log log = Log.open(LogOptions.defaults(dir))) {
                PartitionLog p = log.partition(CrashingAppender.TOPIC, 0);
                assertThat(p.isOnline()).as(context + ": " + p.offlineReason()).isTrue();
                assertThat(p.logEndOffset()).as(context + ": log end").isGreaterThanOrEqualTo(acknowledgedEnd);
                List<StoredRecord> records = PartitionScan.readAll(p);
                if (mode.equals("compacted")) {
                    checkCompacted(records, latestAcknowledged, context);
                } else {
                    assertThat(records).as(context).hasSize((int) p.logEndOffset());
                    PartitionScan.assertDenseOriginals(records, 0);
                }
                end = p.logEndOffset();
                segmentsSeen = Math.max(segmentsSeen, p.segmentCount());
            }
        }
        assertThat(segmentsSeen).as("segments rolled").isGreaterThan(mode.equals("plain") ? 0 : 5);
    }

    private static void checkCompacted(
            List<StoredRecord> records, Map<String, Long> latestAcknowledged, String context) {
        Map<String, Long> lastRead = new HashMap<>();
        for (StoredRecord r : records) {
            assertThat(r.toRecord())
                    .as(context + ": record at %d", r.offset())
                    .isEqualTo(CrashingAppender.recordAt("compacted", r.offset()));
            lastRead.put(new String(r.key(), StandardCharsets.UTF_8), r.offset());
        }
        latestAcknowledged.forEach((key, offset) -> assertThat(lastRead.get(key))
                .as(context + ": latest record of " + key)
                .isNotNull()
                .isGreaterThanOrEqualTo(offset));
    }

    /** Starts a child, lets it acknowledge {@code killAfter} appends, kills it, returns every ack it printed. */
    private List<long[]> runAndKill(String mode, long seed, int killAfter, long expectedStart)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingAppender.class.getName(),
                dir.toString(),
                mode,
                Long.toString(seed));
        builder.redirectError(dir.resolveSibling(dir.getFileName() + "-child-" + mode + ".err")
                .toFile());
        Process child = builder.start();
        List<long[]> acks = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("START ")) {
                    assertThat(Long.parseLong(line.substring(6)))
                            .as("child start offset")
                            .isEqualTo(expectedStart);
                } else if (line.startsWith("ACK ")) {
                    String[] parts = line.split(" ");
                    acks.add(new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
                    if (acks.size() == killAfter) {
                        // SIGKILL through the handle, which (unlike Process.destroyForcibly) leaves stdout
                        // open, so acks printed before the kill are still read below
                        child.toHandle().destroyForcibly();
                    }
                } else if (line.startsWith("WRONG-OFFSET")) {
                    throw new AssertionError(line);
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue())
                .as("the child was killed, it did not exit")
                .isEqualTo(137);
        return acks;
    }
}
