package io.sluice.log.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.log.AppendResult;
import io.sluice.log.FetchResult;
import io.sluice.log.Header;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.PartitionLog;
import io.sluice.log.Record;
import io.sluice.log.StoredRecord;
import io.sluice.log.TopicConfig;
import io.sluice.log.format.RecordBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appends of many MiB on three replica JVMs with the production entry sizes: polls of several MiB,
 * a record of the largest size an entry holds, a 40 MiB poll, and large polls while the leader is
 * killed with SIGKILL and restarted. Every acknowledged record must read back intact and in order
 * through the leader and, from its files, on every replica.
 */
class LargeAppendReplicationIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String TOPIC = "large";
    /** Recent timestamps: retention (7 days by default) must not delete what the test reads back. */
    private static final long BASE_TIMESTAMP = System.currentTimeMillis();

    @TempDir
    Path root;

    /** The record numbered {@code seq}: its content is a function of seq and size, so a reader can check it. */
    static Record record(int seq, int valueBytes) {
        byte[] value = new byte[valueBytes];
        new SplittableRandom(seq * 0x9E3779B97F4A7C15L).nextBytes(value);
        ByteBuffer.wrap(value).putInt(0, seq).putInt(4, valueBytes);
        return new Record(
                ("k" + seq).getBytes(),
                value,
                List.of(new Header("seq", Integer.toString(seq).getBytes())),
                BASE_TIMESTAMP + seq);
    }

    private static void assertIntact(StoredRecord r, String where) {
        ByteBuffer v = ByteBuffer.wrap(r.value());
        int seq = v.getInt(0);
        assertThat(r.toRecord())
                .as("%s: content of record %d at offset %d", where, seq, r.offset())
                .isEqualTo(record(seq, v.getInt(4)));
    }

    private static int seqOf(StoredRecord r) {
        return ByteBuffer.wrap(r.value()).getInt(0);
    }

    /** Numbers records and builds polls of a given total size from records of 2 KB up to {@code maxRecord}. */
    private static final class Polls {
        private final SplittableRandom random = new SplittableRandom(42);
        private final AtomicInteger next = new AtomicInteger();

        List<Record> poll(long totalBytes, int maxRecord) {
            List<Record> out = new ArrayList<>();
            long bytes = 0;
            while (bytes < totalBytes) {
                // mostly small rows, some large documents
                int size = random.nextInt(10) < 8 ? 2048 + random.nextInt(8 * 1024) : 2048 + random.nextInt(maxRecord);
                out.add(record(next.getAndIncrement(), size));
                bytes += size;
            }
            return out;
        }
    }

    /** Appends like a source task does: a failed append is retried, sending only what was not stored. */
    private static AppendResult appendRetrying(ReplicationClient client, List<Record> poll) {
        int from = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                client.append(TOPIC, 0, poll.subList(from, poll.size()), 7, 1);
                return null;
            } catch (PartialAppendException e) {
                from += e.acknowledgedRecords();
            } catch (ReplicationException e) {
                // not known whether stored: send it again (at-least-once)
            }
            assertThat(System.nanoTime()).as("append retried within %s", WAIT).isLessThan(deadline);
        }
    }

    @Test
    void shouldStoreMultiMiBPollsAndTheLargestRecordIntactAndInOrderOnEveryReplicaThroughALeaderKill()
            throws Exception {
        ReplicationSettings settings = ReplicaCluster.testSettingsWithProductionEntries();
        List<Integer> acknowledged = Collections.synchronizedList(new ArrayList<>());
        try (ReplicaCluster cluster = new ReplicaCluster(root, 3, true);
                ReplicationClient client = new ReplicationClient(cluster.peers(), settings)) {
            cluster.startAll();
            client.ensurePartition(TOPIC, 0, List.of("1", "2", "3"), TopicConfig.DEFAULTS);
            Polls polls = new Polls();

            // polls of 3-7 MiB, each more than one entry
            for (int i = 0; i < 6; i++) {
                List<Record> poll = polls.poll((3L << 20) + (i * (800L << 10)), 300 * 1024);
                AppendResult r = client.append(TOPIC, 0, poll, 7, 1);
                assertThat(r.lastOffset() - r.baseOffset() + 1).isEqualTo(poll.size());
                poll.forEach(
                        rec -> acknowledged.add(ByteBuffer.wrap(rec.value()).getInt(0)));
            }

            // the largest record one entry holds, alone and between small ones
            int largestValue = settings.largestRecordBytes() - 200;
            Record largest = record(polls.next.getAndIncrement(), largestValue);
            assertThat(RecordBatch.sizeOfRecord(largest))
                    .isBetween(settings.largestRecordBytes() - 300, settings.largestRecordBytes());
            client.append(TOPIC, 0, List.of(largest), 7, 1);
            acknowledged.add(seqOf(largest.value()));
            List<Record> around = new ArrayList<>(polls.poll(100 << 10, 4096));
            around.add(record(polls.next.getAndIncrement(), largestValue));
            around.addAll(polls.poll(100 << 10, 4096));
            client.append(TOPIC, 0, around, 7, 1);
            around.forEach(rec -> acknowledged.add(seqOf(rec.value())));

            // a record larger than any entry is refused, naming its size
            Record tooLarge = record(-1, settings.maxEntryBytes());
            assertThatThrownBy(() -> client.append(TOPIC, 0, List.of(tooLarge), 7, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(TOPIC + "-0")
                    .hasMessageContaining("exceeds the largest replicated entry of " + settings.maxEntryBytes());

            // a 40 MiB poll with records up to 3 MiB
            List<Record> forty = polls.poll(40L << 20, 3 << 20);
            AppendResult fortyAt = client.append(TOPIC, 0, forty, 7, 1);
            assertThat(fortyAt.lastOffset() - fortyAt.baseOffset() + 1)
                    .as("the 40 MiB poll is stored at consecutive offsets")
                    .isEqualTo(forty.size());
            forty.forEach(rec -> acknowledged.add(seqOf(rec.value())));

            // 4-8 MiB polls while the leader is killed and restarted
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger appended = new AtomicInteger();
            List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
            Thread writer = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        List<Record> poll = polls.poll((4L << 20) + polls.random.nextInt(4 << 20), 1 << 20);
                        appendRetrying(client, poll);
                        poll.forEach(rec -> acknowledged.add(seqOf(rec.value())));
                        appended.incrementAndGet();
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            writer.start();
            await().atMost(WAIT).until(() -> appended.get() >= 2);
            String leader =
                    await().atMost(WAIT).until(() -> client.leader(TOPIC, 0).orElse(null), l -> l != null);
            cluster.kill(leader);
            int atKill = appended.get();
            await("polls appended with the leader down").atMost(WAIT).until(() -> appended.get() >= atKill + 3);
            cluster.start(leader);
            int atRestart = appended.get();
            await("polls appended after the restart").atMost(WAIT).until(() -> appended.get() >= atRestart + 3);
            stop.set(true);
            writer.join();
            assertThat(errors).isEmpty();

            await("replicas caught up")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> client.status(TOPIC, 0).maxLag() == 0);
            List<StoredRecord> committed = readThroughLeader(client);
            checkAgainst(committed, acknowledged, "through the leader");
            cluster.stopAll();
            for (String node : cluster.peers().nodeIds()) {
                List<StoredRecord> local = localRecords(cluster.dataDir(node));
                assertThat(local).as("node %s holds the committed log", node).hasSameSizeAs(committed);
                for (int i = 0; i < local.size(); i++) {
                    assertIntact(local.get(i), "node " + node);
                    assertThat(seqOf(local.get(i))).isEqualTo(seqOf(committed.get(i)));
                }
            }
        }
    }

    private static int seqOf(byte[] value) {
        return ByteBuffer.wrap(value).getInt(0);
    }

    /**
     * Every acknowledged record is there, intact; records first appear in acknowledgement order; a
     * repeat (a retried entry) only ever repeats a record already seen.
     */
    private static void checkAgainst(List<StoredRecord> read, List<Integer> acknowledged, String where) {
        int expectedNext = 0;
        int repeats = 0;
        for (StoredRecord r : read) {
            assertIntact(r, where);
            int seq = seqOf(r);
            if (seq == expectedNext) {
                expectedNext++;
            } else {
                assertThat(seq)
                        .as("%s: record %d at offset %d comes out of order", where, seq, r.offset())
                        .isLessThan(expectedNext);
                repeats++;
            }
        }
        int largestAcknowledged = Collections.max(acknowledged);
        assertThat(expectedNext - 1)
                .as("%s: every acknowledged record is stored", where)
                .isGreaterThanOrEqualTo(largestAcknowledged);
        System.out.printf(
                "LargeAppendReplicationIT: %d records (%d acknowledged), %d repeated by retries%n",
                read.size(), acknowledged.size(), repeats);
    }

    private static List<StoredRecord> readThroughLeader(ReplicationClient client) {
        return await("the committed log read through the leader")
                .atMost(WAIT)
                .ignoreExceptions()
                .until(
                        () -> {
                            List<StoredRecord> out = new ArrayList<>();
                            long offset = 0;
                            while (true) {
                                FetchResult r = client.fetch(TOPIC, 0, offset, 4 << 20);
                                if (r.isEmpty()) {
                                    return out;
                                }
                                out.addAll(r.records());
                                offset = r.nextOffset();
                            }
                        },
                        r -> true);
    }

    private static List<StoredRecord> localRecords(Path dataDir) {
        try (Log log = Log.open(LogOptions.defaults(dataDir.resolve("log")))) {
            PartitionLog p = log.partition(TOPIC, 0);
            assertThat(p.offlineReason())
                    .as("%s: %s", dataDir, p.recoveryEvents())
                    .isNull();
            List<StoredRecord> out = new ArrayList<>();
            long offset = 0;
            while (offset < p.logEndOffset()) {
                FetchResult r = p.fetch(offset, 4 << 20);
                out.addAll(r.records());
                offset = r.nextOffset();
            }
            for (int i = 0; i < out.size(); i++) {
                assertThat(out.get(i).offset()).as("%s: dense offsets", dataDir).isEqualTo(i);
            }
            return out;
        }
    }
}
