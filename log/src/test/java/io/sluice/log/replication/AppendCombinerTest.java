package io.sluice.log.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AppendCombinerTest {

    private static PartitionMessages.Item item(long producer, int seq) {
        return new PartitionMessages.Item(producer, seq, ByteBuffer.allocate(100));
    }

    @Test
    void shouldCombineConcurrentAppendsAndKeepEachCallersOrder() throws Exception {
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger entries = new AtomicInteger();
        AppendCombiner combiner = new AppendCombiner(10_000, items -> {
            entries.incrementAndGet();
            List<ByteBuffer> replies = new ArrayList<>();
            for (PartitionMessages.Item i : items) {
                stored.add(i.producerId() + ":" + i.epoch());
                replies.add(ByteBuffer.allocate(4).putInt(0, (int) i.producerId() * 1000 + i.epoch()));
            }
            try {
                Thread.sleep(2); // a slow replica: appends pile up meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return replies;
        });
        int threads = 4;
        int perThread = 200;
        CountDownLatch done = new CountDownLatch(threads);
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            long producer = t;
            new Thread(() -> {
                        try {
                            for (int s = 0; s < perThread; s++) {
                                ByteBuffer reply = combiner.append(item(producer, s));
                                assertThat(reply.getInt(0)).isEqualTo((int) producer * 1000 + s);
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        } finally {
                            done.countDown();
                        }
                    })
                    .start();
        }
        done.await();
        assertThat(errors).isEmpty();
        assertThat(stored).hasSize(threads * perThread);
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            List<Integer> seqs = stored.stream()
                    .filter(s -> s.startsWith(prefix))
                    .map(s -> Integer.parseInt(s.substring(prefix.length())))
                    .toList();
            assertThat(seqs)
                    .as("appends of caller %d in call order", t)
                    .isSorted()
                    .hasSize(perThread);
        }
        assertThat(entries.get())
                .as("entries sent for %d appends", threads * perThread)
                .isLessThan(threads * perThread);
    }

    @Test
    void shouldFailEveryAppendOfAnEntryThatCouldNotBeSent() throws Exception {
        AppendCombiner combiner = new AppendCombiner(10_000, items -> {
            throw new ReplicationException("no leader");
        });
        assertThatThrownBy(() -> combiner.append(item(1, 0))).hasMessage("no leader");
        assertThatThrownBy(() -> combiner.append(item(1, 1)))
                .as("the combiner is not left stuck after a failure")
                .hasMessage("no leader");
    }

    @Test
    void shouldSendTheEntriesOfASplitAppendInARowWithNoOtherAppendBetween() throws Exception {
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        AppendCombiner combiner = new AppendCombiner(10_000, items -> {
            List<ByteBuffer> replies = new ArrayList<>();
            for (PartitionMessages.Item i : items) {
                stored.add(i.producerId() + ":" + i.epoch());
                replies.add(ByteBuffer.allocate(1).put(0, PartitionMessages.OK));
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return replies;
        });
        int parts = 20;
        CountDownLatch done = new CountDownLatch(3);
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 3; t++) {
            long producer = t;
            new Thread(() -> {
                        try {
                            for (int round = 0; round < 10; round++) {
                                List<PartitionMessages.Item> split = new ArrayList<>();
                                for (int p = 0; p < parts; p++) {
                                    split.add(item(producer, round * parts + p));
                                }
                                AppendCombiner.Replies r = combiner.appendAll(split);
                                assertThat(r.failure()).isNull();
                                assertThat(r.replies()).hasSize(parts);
                                combiner.append(item(producer, 1_000 + round)); // single appends in between
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        } finally {
                            done.countDown();
                        }
                    })
                    .start();
        }
        done.await();
        assertThat(errors).isEmpty();
        assertThat(stored).hasSize(3 * 10 * (parts + 1));
        for (int i = 0; i < stored.size(); i++) {
            String[] at = stored.get(i).split(":");
            int seq = Integer.parseInt(at[1]);
            if (seq < 1_000 && seq % parts == 0) {
                for (int p = 1; p < parts; p++) {
                    assertThat(stored.get(i + p))
                            .as("entry %d of a split append follows entry %d at once", p, p - 1)
                            .isEqualTo(at[0] + ":" + (seq + p));
                }
            }
        }
    }

    @Test
    void shouldReportTheEntriesStoredBeforeAPartOfASplitAppendFailed() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        AppendCombiner combiner = new AppendCombiner(10_000, items -> {
            if (sent.incrementAndGet() == 3) {
                throw new ReplicationException("leader lost");
            }
            return List.of(ByteBuffer.allocate(1).put(0, PartitionMessages.OK));
        });

        AppendCombiner.Replies r = combiner.appendAll(List.of(item(1, 0), item(1, 1), item(1, 2), item(1, 3)));

        assertThat(r.replies()).as("the first two entries were acknowledged").hasSize(2);
        assertThat(r.failure()).hasMessage("leader lost");
        assertThat(sent.get()).as("nothing sent after the failed entry").isEqualTo(3);
        assertThat(combiner.append(item(1, 4)).get(0))
                .as("the combiner goes on")
                .isEqualTo(PartitionMessages.OK);
    }

    @Test
    void shouldStopASplitAppendAtAnEntryThatWasRefused() throws Exception {
        AtomicInteger sent = new AtomicInteger();
        AppendCombiner combiner = new AppendCombiner(
                10_000,
                items -> List.of(ByteBuffer.allocate(1)
                        .put(0, sent.incrementAndGet() == 2 ? PartitionMessages.STALE_EPOCH : PartitionMessages.OK)));

        AppendCombiner.Replies r = combiner.appendAll(List.of(item(1, 0), item(1, 1), item(1, 2)));

        assertThat(r.failure()).isNull();
        assertThat(r.replies()).hasSize(2);
        assertThat(sent.get()).isEqualTo(2);
    }
}
