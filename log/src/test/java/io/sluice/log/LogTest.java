package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LogTest {

    @TempDir
    Path dir;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Record> records(int from, int count) {
        List<Record> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(new Record(
                    bytes("key-" + (i % 7)),
                    bytes("value-" + i),
                    List.of(new Header("n", bytes("" + i))),
                    1_000_000L + i));
        }
        return out;
    }

    static List<StoredRecord> readAll(PartitionLog p) {
        List<StoredRecord> out = new ArrayList<>();
        long offset = p.logStartOffset();
        while (offset < p.highWatermark()) {
            FetchResult r = p.fetch(offset, 64 * 1024);
            out.addAll(r.records());
            offset = r.nextOffset();
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void shouldReadBackEveryRecordInOrderWithDenseOffsets(Compression compression) {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("t", Map.of("compression.type", compression.configName(), "segment.bytes", "1024"));
            PartitionLog p = log.partition("t", 0);
            assertThat(p.append(records(0, 50))).isEqualTo(new AppendResult(0, 49));
            for (int i = 50; i < 200; i += 10) {
                assertThat(p.append(records(i, 10))).isEqualTo(new AppendResult(i, i + 9));
            }
            assertThat(p.segmentCount()).as("small segments roll").isGreaterThan(1);
            List<StoredRecord> all = readAll(p);
            assertThat(all).extracting(StoredRecord::offset).containsExactlyElementsOf(range(0, 200));
            assertThat(all).extracting(StoredRecord::toRecord).containsExactlyElementsOf(records(0, 200));
        }
    }

    @Test
    void clearingAPartitionEmptiesOnlyItAndLeavesNoDirectoryBehindAcrossRestart() throws Exception {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("t", Map.of("partitions", "2", "segment.bytes", "1024"));
            log.partition("t", 0).append(records(0, 100));
            log.partition("t", 1).append(records(0, 10));
            // a leftover of a clear interrupted by a crash, deleted at the next open
            java.nio.file.Files.createDirectories(
                    dir.resolve("t").resolve("0.cleared-1").resolve("x"));

            log.clearPartition(new TopicPartition("t", 0));

            PartitionLog cleared = log.partition("t", 0);
            assertThat(cleared.logEndOffset()).isZero();
            assertThat(cleared.append(records(0, 3))).isEqualTo(new AppendResult(0, 2));
            assertThat(readAll(log.partition("t", 1))).hasSize(10);
        }
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            assertThat(readAll(log.partition("t", 0)))
                    .extracting(StoredRecord::toRecord)
                    .containsExactlyElementsOf(records(0, 3));
            assertThat(readAll(log.partition("t", 1))).hasSize(10);
        }
        try (var names = java.nio.file.Files.list(dir.resolve("t"))) {
            assertThat(names.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("cleared"));
        }
    }

    @Test
    void shouldKeepRecordsTombstonesAndNullKeysAcrossRestart() {
        List<Record> written = List.of(
                new Record(null, bytes("no key"), List.of(), 5),
                new Record(bytes("k"), null, List.of(new Header("h", null)), 6));
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("t", Map.of("partitions", "3"));
            log.partition("t", 2).append(written);
        }
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            assertThat(log.topics()).containsExactly("t");
            assertThat(log.topicConfig("t").orElseThrow().partitions()).isEqualTo(3);
            PartitionLog p = log.partition("t", 2);
            assertThat(p.recoveryEvents()).as("clean shutdown needs no repair").isEmpty();
            assertThat(readAll(p)).extracting(StoredRecord::toRecord).containsExactlyElementsOf(written);
            assertThat(p.append(records(0, 1)).baseOffset()).isEqualTo(2);
        }
    }

    @Test
    void shouldFetchFromTheMiddleOfABatchAndReportRanges() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("t", Map.of());
            PartitionLog p = log.partition("t", 0);
            p.append(records(0, 10));
            FetchResult r = p.fetch(4, 1);
            assertThat(r.records()).extracting(StoredRecord::offset).containsExactlyElementsOf(range(4, 10));
            assertThat(r.nextOffset()).isEqualTo(10);
            assertThat(p.fetch(10, 1024).isEmpty()).isTrue();
            assertThatThrownBy(() -> p.fetch(11, 1024))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessageContaining("offset 11");
        }
    }

    @Test
    void shouldWakeALongPollingFetchWhenRecordsArrive() throws Exception {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("t", Map.of());
            PartitionLog p = log.partition("t", 0);
            CompletableFuture<FetchResult> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.fetch(0, 1024, Duration.ofMinutes(5));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            p.append(records(0, 3));
            FetchResult r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> waiting.get());
            assertThat(r.records()).hasSize(3);
            assertThat(p.fetch(3, 1024, Duration.ofMillis(50)).isEmpty()).isTrue();
        }
    }

    @Test
    void shouldFindOffsetsByTimestamp() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("t", Map.of("segment.bytes", "2048", "index.interval.bytes", "256"));
            PartitionLog p = log.partition("t", 0);
            for (int i = 0; i < 100; i++) {
                p.append(records(i, 1));
            }
            assertThat(p.offsetForTime(0)).hasValue(0);
            assertThat(p.offsetForTime(1_000_042L)).hasValue(42);
            assertThat(p.offsetForTime(1_000_099L)).hasValue(99);
            assertThat(p.offsetForTime(2_000_000L)).isEmpty();
        }
    }

    @Test
    void shouldHideUncommittedRecordsUntilTheCommitPointMovesAndTruncateTheRest() {
        LogOptions options = LogOptions.defaults(dir);
        options = new LogOptions(
                dir,
                options.topicDefaults(),
                options.retentionCheckInterval(),
                options.cleanerInterval(),
                options.fileDeleteDelay(),
                false,
                options.clock());
        try (Log log = Log.open(options)) {
            log.createTopic("t", Map.of());
            PartitionLog p = log.partition("t", 0);
            p.append(records(0, 5));
            p.append(records(5, 5));
            assertThat(p.logEndOffset()).isEqualTo(10);
            assertThat(p.fetch(0, 1024).isEmpty()).as("nothing committed yet").isTrue();
            p.commitTo(5);
            assertThat(readAll(p)).extracting(StoredRecord::offset).containsExactlyElementsOf(range(0, 5));
            assertThatThrownBy(() -> p.truncateTo(3)).hasMessageContaining("below the high watermark");
            assertThatThrownBy(() -> p.truncateTo(7)).hasMessageContaining("batch boundary");
            p.truncateTo(5);
            assertThat(p.logEndOffset()).isEqualTo(5);
            assertThat(p.append(records(100, 2))).isEqualTo(new AppendResult(5, 6));
            p.commitTo(7);
            assertThat(readAll(p))
                    .extracting(StoredRecord::toRecord)
                    .containsExactlyElementsOf(concat(records(0, 5), records(100, 2)));
        }
    }

    @Test
    void shouldRejectKeylessRecordsOnCompactedTopics() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("c", Map.of("cleanup.policy", "compact"));
            assertThatThrownBy(() -> log.partition("c", 0).append(List.of(Record.of(null, bytes("v"), 1))))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("no key");
            assertThat(log.partition("c", 0).logEndOffset()).isZero();
        }
    }

    @Test
    void shouldRefuseToRecreateATopicWithAnotherLayoutAndNameEveryBadSetting() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            assertThat(log.createTopic("t", Map.of("partitions", "2"))).isTrue();
            assertThat(log.createTopic("t", Map.of("partitions", "2"))).isFalse();
            assertThatThrownBy(() -> log.createTopic("t", Map.of("partitions", "4")))
                    .isInstanceOf(TopicExistsException.class);
            assertThatThrownBy(() -> log.createTopic("bad/name", Map.of()))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("bad/name");
            assertThatThrownBy(() ->
                            log.createTopic("u", Map.of("retention.ms", "soon", "segment.bytes", "1", "colour", "red")))
                    .isInstanceOfSatisfying(
                            InvalidConfigException.class,
                            e -> assertThat(e.errors())
                                    .hasSize(3)
                                    .anySatisfy(m -> assertThat(m).startsWith("retention.ms=soon"))
                                    .anySatisfy(m -> assertThat(m).startsWith("segment.bytes=1"))
                                    .anySatisfy(m -> assertThat(m).contains("colour")));
            assertThat(log.topics()).containsExactly("t");
        }
    }

    @Test
    void shouldGrowPartitionsAndPersistChangedSettings() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("t", Map.of());
            log.alterTopic("t", Map.of("partitions", "3", "retention.ms", "1000"));
            assertThatThrownBy(() -> log.alterTopic("t", Map.of("partitions", "1")))
                    .hasMessageContaining("shrink");
        }
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            assertThat(log.partitionsOf("t")).hasSize(3);
            assertThat(log.topicConfig("t").orElseThrow().retentionMs()).isEqualTo(1000);
            log.deleteTopic("t");
            assertThat(log.topics()).isEmpty();
        }
    }

    @Test
    void shouldStayHealthyWhenACallerThreadIsInterrupted() throws Exception {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            log.createTopic("t", Map.of("flush", "always"));
            PartitionLog p = log.partition("t", 0);
            Thread.currentThread().interrupt();
            try {
                p.append(records(0, 5));
                assertThat(p.fetch(0, 1024).records()).hasSize(5);
                assertThat(Thread.currentThread().isInterrupted())
                        .as("interrupt flag is kept")
                        .isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(p.isOnline()).isTrue();
            p.append(records(5, 5));
            assertThat(readAll(p)).hasSize(10);
        }
    }

    static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
