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
}
