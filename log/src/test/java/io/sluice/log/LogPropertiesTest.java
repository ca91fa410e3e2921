package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.PlannedAppender.Planned;
import io.sluice.log.format.RecordBatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random histories of a compacted partition (appends of batches from a few bytes to nearly {@link
 * RecordBatch#MAX_BATCH_SIZE}, skewed towards small but crossing the scanner's 1 MiB chunk and the
 * segment size; clean close and reopen; a child JVM appending and killed with SIGKILL at a random
 * acknowledgement; compaction) must keep every acknowledged record: after each reopen and at the end,
 * each record read back is exactly the one appended at its offset, in offset order, and every
 * acknowledged offset is there unless a later record of the same key let compaction drop it.
 *
 * <p>Bounded for CI: 12 tries ({@code jqwik.tries.default} in {@code junit-platform.properties}), at
 * most {@code log.properties.maxMiB} (128) MiB appended per try; about 20 s on a quiet 2-core machine.
 * A longer run (a soak, not for CI): {@code ./mvnw -pl log test -Dtest=LogPropertiesTest
 * -Djqwik.tries.default=300 -Dlog.properties.maxMiB=512}. A failure prints the seed; {@code
 * -Djqwik.seeds.whenfixed=...} or the jqwik database in {@code log/target} replays it.
 */
class LogPropertiesTest {

    private static final long MAX_BYTES = Long.getLong("log.properties.maxMiB", 128) << 20;
    /** The largest value that still fits one batch with its key and entry header. */
    private static final int MAX_VALUE = RecordBatch.MAX_RECORD_SIZE - 1024;

    sealed interface Action permits Append, Reopen, Crash, Compact {}

    record Append(List<Planned> batch) implements Action {}

    record Reopen() implements Action {}

    /** A child appends {@code plan} and is killed after {@code killAfter} acknowledgements (or when done). */
    record Crash(List<List<Planned>> plan, int killAfter) implements Action {}

    record Compact() implements Action {}

    @Property(shrinking = net.jqwik.api.ShrinkingMode.BOUNDED, edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void shouldReadBackEveryAcknowledgedRecordIntactAndInOrder(
            @ForAll("histories") List<Action> history, @ForAll("segmentSizes") int segmentBytes) throws Exception {
        Path dir = Files.createTempDirectory("log-properties");
        List<Action> played = budgeted(history);
        long crashes = played.stream().filter(a -> a instanceof Crash).count();
        long bytes = played.stream().mapToLong(LogPropertiesTest::bytesOf).sum();
        int largest =
                played.stream().mapToInt(LogPropertiesTest::largestValue).max().orElse(0);
        Statistics.label("kills").collect(crashes > 0 ? "with kill -9" : "no kill");
        Statistics.label("largest record")
                .collect(largest > (32 << 20) ? "> 32 MiB" : largest > (1 << 20) ? "> 1 MiB" : "<= 1 MiB");
        System.out.printf(
                "LogPropertiesTest: %d actions, %d kills, %d MiB, largest record %d bytes, segment.bytes %d%n",
                played.size(), crashes, bytes >> 20, largest, segmentBytes);
        try {
            new Run(dir, segmentBytes).play(played);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** The history cut where its appended bytes pass the per-try budget. */
    private static List<Action> budgeted(List<Action> history) {
        List<Action> out = new ArrayList<>();
        long bytes = 0;
        for (Action a : history) {
            bytes += bytesOf(a);
            if (bytes > MAX_BYTES) {
                break;
            }
            out.add(a);
        }
        return out;
    }

    private static long bytesOf(Action a) {
        if (a instanceof Append append) {
            return bytesOf(append.batch());
        }
        return a instanceof Crash crash
                ? crash.plan().stream().mapToLong(LogPropertiesTest::bytesOf).sum()
                : 0;
    }

    private static int largestValue(Action a) {
        List<List<Planned>> batches = a instanceof Append append
                ? List.of(append.batch())
                : a instanceof Crash crash ? crash.plan() : List.of();
        return batches.stream()
                .flatMap(List::stream)
                .mapToInt(Planned::valueLength)
                .max()
                .orElse(0);
    }

    private static long bytesOf(List<Planned> batch) {
        return batch.stream().mapToLong(Planned::valueLength).sum();
    }

    @Provide
    Arbitrary<Integer> segmentSizes() {
        return Arbitraries.of(64 << 10, 1 << 20, 4 << 20, 16 << 20);
    }

    @Provide
    Arbitrary<List<Action>> histories() {
        Arbitrary<List<Planned>> batch = planned().list().ofMinSize(1).ofMaxSize(12);
        Arbitrary<Action> append = batch.map(Append::new);
        Arbitrary<Action> crash = Combinators.combine(
                        batch.list().ofMinSize(1).ofMaxSize(6),
                        Arbitraries.integers().between(0, 6))
                .as(Crash::new);
        Arbitrary<Action> action = Arbitraries.frequencyOf(
                Tuple.of(60, append),
                Tuple.of(12, Arbitraries.just(new Reopen())),
                Tuple.of(16, crash),
                Tuple.of(12, Arbitraries.just(new Compact())));
        return action.list().ofMinSize(4).ofMaxSize(16);
    }

    private static Arbitrary<Planned> planned() {
        Arbitrary<Integer> valueLength = Arbitraries.frequencyOf(
                Tuple.of(70, Arbitraries.integers().between(0, 2048)),
                Tuple.of(14, Arbitraries.integers().between(2048, 300_000)),
                Tuple.of(11, Arbitraries.integers().between(900_000, 3 << 20)),
                Tuple.of(4, Arbitraries.integers().between(4 << 20, 12 << 20)),
                Tuple.of(1, Arbitraries.integers().between(32 << 20, MAX_VALUE)));
        Arbitrary<Integer> keyId = Arbitraries.frequencyOf(
                Tuple.of(80, Arbitraries.just(-1)),
                Tuple.of(20, Arbitraries.integers().between(0, 4)));
        return Combinators.combine(keyId, valueLength).as(Planned::new);
    }

    /** One history played against one data directory, with the model of what the partition must hold. */
    private static final class Run {

        private final Path dir;
        private final Map<String, String> settings;
        /** Every offset known to be in the log (acknowledged, or found after a kill) and its record. */
        private final TreeMap<Long, Record> model = new TreeMap<>();

        private long acknowledgedEnd;
        private Log log;

        Run(Path dir, int segmentBytes) {
            this.dir = dir;
            this.settings = Map.of(
                    "cleanup.policy",
                    "compact",
                    "segment.bytes",
                    Integer.toString(segmentBytes),
                    "compression.type",
                    "none",
                    "max.message.bytes",
                    Integer.toString(RecordBatch.MAX_RECORD_SIZE));
        }

        void play(List<Action> history) throws Exception {
            open();
            try {
                for (Action action : history) {
                    if (action instanceof Append a) {
                        append(a.batch());
                    } else if (action instanceof Reopen) {
                        log.close();
                        open();
                        verify("after a clean reopen");
                    } else if (action instanceof Crash c) {
                        crash(c);
                    } else {
                        log.runMaintenance();
                    }
                }
                verify("at the end");
            } finally {
                log.close();
            }
        }

        private void open() {
            log = Log.open(LogOptions.defaults(dir));
            log.createTopic(PlannedAppender.TOPIC, settings);
        }

        private PartitionLog partition() {
            return log.partition(PlannedAppender.TOPIC, 0);
        }

        private void append(List<Planned> batch) {
            PartitionLog p = partition();
            long base = p.logEndOffset();
            List<Record> records = PlannedAppender.records(base, batch);
            AppendResult result = p.append(records);
            assertThat(result.baseOffset()).isEqualTo(base);
            assertThat(result.lastOffset()).isEqualTo(base + batch.size() - 1);
            for (int i = 0; i < records.size(); i++) {
                model.put(base + i, records.get(i));
            }
            acknowledgedEnd = result.lastOffset() + 1;
        }

        private void crash(Crash crash) throws Exception {
            log.close();
            long start = acknowledgedEnd;
            Path plan = dir.resolveSibling(dir.getFileName() + ".plan");
            PlannedAppender.writePlan(plan, crash.plan());
            List<long[]> acks = runAndKill(plan, crash.killAfter());
            Files.deleteIfExists(plan);
            int next = 0;
            for (long[] ack : acks) {
                assertThat(ack[0]).as("batches are acknowledged in plan order").isEqualTo(next);
                assertThat(ack[1]).as("the child appends at the log end").isEqualTo(acknowledgedEnd);
                List<Planned> batch = crash.plan().get((int) ack[0]);
                assertThat(ack[2] - ack[1] + 1).isEqualTo(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    model.put(ack[1] + i, PlannedAppender.recordAt(ack[1] + i, batch.get(i)));
                }
                acknowledgedEnd = ack[2] + 1;
                next++;
            }
            open();
            long end = partition().logEndOffset();
            assertThat(end)
                    .as("log end after a kill (acknowledged up to %d, from %d)", acknowledgedEnd, start)
                    .isGreaterThanOrEqualTo(acknowledgedEnd);
            // batches written but not acknowledged before the kill: their offsets follow the plan
            long offset = acknowledgedEnd;
            for (int b = next; b < crash.plan().size() && offset < end; b++) {
                for (Planned planned : crash.plan().get(b)) {
                    if (offset < end) {
                        model.put(offset, PlannedAppender.recordAt(offset, planned));
                        offset++;
                    }
                }
            }
            assertThat(offset).as("nothing beyond the plan is in the log").isEqualTo(end);
            acknowledgedEnd = end;
            verify("after a kill -9");
        }

        private List<long[]> runAndKill(Path plan, int killAfter) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Xshare:auto",
                    "-cp",
                    System.getProperty("java.class.path"),
                    PlannedAppender.class.getName(),
                    dir.toString(),
                    plan.toString()));
            settings.forEach((k, v) -> command.add(k + "=" + v));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.redirectError(
                    dir.resolveSibling(dir.getFileName() + "-child.err").toFile());
            Process child = builder.start();
            List<long[]> acks = new ArrayList<>();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                if (killAfter == 0) {
                    child.toHandle().destroyForcibly(); // killed while opening the log or in the first append
                }
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        String[] parts = line.split(" ");
                        acks.add(
                                new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])
                                });
                    }
                    if (acks.size() == killAfter || line.equals("DONE")) {
                        // SIGKILL through the handle keeps stdout open: acks printed before it are read
                        child.toHandle().destroyForcibly();
                    }
                }
            } finally {
                child.destroyForcibly();
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + "-child.err"));
            }
            assertThat(child.exitValue())
                    .as("the child was killed, it did not exit")
                    .isEqualTo(137);
            return acks;
        }

        private void verify(String when) {
            PartitionLog p = partition();
            assertThat(p.state())
                    .as(when + ": " + p.offlineReason() + " " + p.damagedRanges())
                    .isEqualTo(PartitionState.ONLINE);
            assertThat(p.recoveryEvents())
                    .as(when + ": recovery dropped nothing acknowledged")
                    .noneMatch(e -> e.contains("dropped") && !droppedOnlyUnacknowledged(e));
            long end = p.logEndOffset();
            assertThat(end).as(when + ": log end").isEqualTo(acknowledgedEnd);
            Map<String, Long> lastOfKey = new HashMap<>();
            model.forEach((offset, r) -> lastOfKey.merge(key(r), offset, Math::max));
            List<StoredRecord> read = PartitionScan.readAll(p);
            java.util.Set<Long> seen = new java.util.HashSet<>();
            for (StoredRecord r : read) {
                Record expected = model.get(r.offset());
                assertThat(expected)
                        .as(when + ": offset %d was never appended", r.offset())
                        .isNotNull();
                assertThat(r.toRecord()).as(when + ": record at %d", r.offset()).isEqualTo(expected);
                seen.add(r.offset());
            }
            model.forEach((offset, r) -> {
                if (!seen.contains(offset)) {
                    assertThat(lastOfKey.get(key(r)))
                            .as(
                                    when + ": offset %d is missing but no later record of its key %s exists",
                                    offset,
                                    key(r))
                            .isGreaterThan(offset);
                }
            });
        }

        /** A truncation after a kill may drop only a torn, unacknowledged tail. */
        private boolean droppedOnlyUnacknowledged(String event) {
            int at = event.indexOf("from offset ");
            if (at < 0) {
                return false;
            }
            String rest = event.substring(at + "from offset ".length());
            long from = Long.parseLong(rest.substring(0, rest.indexOf(' ')));
            return from >= acknowledgedEnd;
        }

        private static String key(Record r) {
            return new String(r.key(), StandardCharsets.UTF_8);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
