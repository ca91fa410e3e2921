package io.sluice.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.log.AppendResult;
import io.sluice.log.Record;
import io.sluice.log.TopicPartition;
import io.sluice.log.replication.PartialAppendException;
import io.sluice.log.replication.ReplicationException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ResumableAppendsTest {

    /** A partition that stores the records it is sent, failing after {@code storeAtMost} records once. */
    private static final class FlakyPartition implements Function<List<Record>, AppendResult> {
        final List<Record> stored = new ArrayList<>();
        int storeAtMost = Integer.MAX_VALUE;

        @Override
        public AppendResult apply(List<Record> records) {
            long base = stored.size();
            if (records.size() > storeAtMost) {
                int n = storeAtMost;
                storeAtMost = Integer.MAX_VALUE;
                stored.addAll(records.subList(0, n));
                if (n == 0) {
                    throw new ReplicationException("no leader");
                }
                throw new PartialAppendException(
                        new TopicPartition("t", 0),
                        n,
                        new AppendResult(base, base + n - 1),
                        4,
                        1,
                        new ReplicationException("leader lost"));
            }
            stored.addAll(records);
            return new AppendResult(base, base + records.size() - 1);
        }
    }

    private static List<Record> records(int from, int count) {
        List<Record> out = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            out.add(Record.of(null, new byte[] {(byte) i}, i));
        }
        return out;
    }

    @Test
    void shouldSendOnlyTheRecordsNotYetStoredWhenTheSameAppendIsRetried() {
        ResumableAppends appends = new ResumableAppends();
        FlakyPartition partition = new FlakyPartition();
        List<Record> poll = records(0, 10);
        partition.storeAtMost = 4;

        assertThatThrownBy(() -> appends.append("t", 0, 7, poll, partition)).isInstanceOf(PartialAppendException.class);
        AppendResult result = appends.append("t", 0, 7, poll, partition);

        assertThat(partition.stored).as("each record once, in order").isEqualTo(poll);
        assertThat(result).isEqualTo(new AppendResult(0, 9));
    }

    @Test
    void shouldAddUpTwoPartialFailuresOfOneAppend() {
        ResumableAppends appends = new ResumableAppends();
        FlakyPartition partition = new FlakyPartition();
        List<Record> poll = records(0, 10);
        partition.storeAtMost = 3;
        assertThatThrownBy(() -> appends.append("t", 0, 7, poll, partition)).isInstanceOf(PartialAppendException.class);
        partition.storeAtMost = 2;
        assertThatThrownBy(() -> appends.append("t", 0, 7, poll, partition)).isInstanceOf(PartialAppendException.class);

        AppendResult result = appends.append("t", 0, 7, poll, partition);

        assertThat(partition.stored).isEqualTo(poll);
        assertThat(result).isEqualTo(new AppendResult(0, 9));
    }

    @Test
    void shouldSendAWholeAppendAgainAfterAFailureThatStoredNothingKnown() {
        ResumableAppends appends = new ResumableAppends();
        FlakyPartition partition = new FlakyPartition();
        List<Record> poll = records(0, 5);
        partition.storeAtMost = 0;
        assertThatThrownBy(() -> appends.append("t", 0, 7, poll, partition))
                .isInstanceOf(ReplicationException.class)
                .isNotInstanceOf(PartialAppendException.class);

        appends.append("t", 0, 7, poll, partition);

        assertThat(partition.stored).isEqualTo(poll);
    }

    @Test
    void shouldForgetTheStoredPartForAnotherAppendOrAnotherProducer() {
        ResumableAppends appends = new ResumableAppends();
        FlakyPartition partition = new FlakyPartition();
        List<Record> poll = records(0, 10);
        partition.storeAtMost = 4;
        assertThatThrownBy(() -> appends.append("t", 0, 7, poll, partition)).isInstanceOf(PartialAppendException.class);

        // another producer's append of an equal list, then a new poll of the first producer
        appends.append("t", 0, 8, new ArrayList<>(poll), partition);
        List<Record> next = records(10, 3);
        appends.append("t", 0, 7, next, partition);
        appends.append("t", 0, 7, poll, partition); // sent whole: the remembered part was forgotten

        assertThat(partition.stored).hasSize(4 + 10 + 3 + 10);
    }
}
