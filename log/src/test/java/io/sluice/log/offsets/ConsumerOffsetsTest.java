package io.sluice.log.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.TopicPartition;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerOffsetsTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final TopicPartition USERS_0 = new TopicPartition("users", 0);

    @TempDir
    Path dir;

    private Log log;

    @AfterEach
    void closeLog() {
        if (log != null) {
            log.close();
        }
    }

    private ConsumerOffsets open() {
        if (log != null) {
            log.close();
        }
        log = Log.open(LogOptions.defaults(dir));
        return ConsumerOffsets.open(log);
    }

    @Test
    void shouldFetchWhatWasCommitted() {
        ConsumerOffsets offsets = open();

        offsets.commit("g1", Map.of(ORDERS_0, 10L, ORDERS_1, 20L), "meta");

        assertThat(offsets.fetch("g1", ORDERS_0)).hasValueSatisfying(o -> {
            assertThat(o.offset()).isEqualTo(10);
            assertThat(o.metadata()).isEqualTo("meta");
        });
        assertThat(offsets.fetchAll("g1")).containsOnlyKeys(ORDERS_0, ORDERS_1);
        assertThat(offsets.fetch("g1", USERS_0)).isEmpty();
        assertThat(offsets.fetch("g2", ORDERS_0)).isEmpty();
        assertThat(offsets.groups()).containsExactly("g1");
    }

    @Test
    void shouldKeepTheLatestCommitPerPartition() {
        ConsumerOffsets offsets = open();

        offsets.commit("g1", Map.of(ORDERS_0, 10L), null);
        offsets.commit("g1", Map.of(ORDERS_0, 11L), null);
        offsets.commit("g2", Map.of(ORDERS_0, 99L), null);

        assertThat(offsets.fetch("g1", ORDERS_0).orElseThrow().offset()).isEqualTo(11);
        assertThat(offsets.fetch("g2", ORDERS_0).orElseThrow().offset()).isEqualTo(99);
    }

    @Test
    void shouldDeleteSomeOrAllPartitionsOfAGroup() {
        ConsumerOffsets offsets = open();
        offsets.commit("g1", Map.of(ORDERS_0, 1L, ORDERS_1, 2L, USERS_0, 3L), "");
        offsets.commit("g2", Map.of(ORDERS_0, 4L), "");

        offsets.delete("g1", Set.of(ORDERS_1));
        assertThat(offsets.fetchAll("g1")).containsOnlyKeys(ORDERS_0, USERS_0);

        offsets.delete("g1", Set.of());
        assertThat(offsets.fetchAll("g1")).isEmpty();
        assertThat(offsets.groups()).containsExactly("g2");
        offsets.delete("unknown", Set.of()); // nothing to delete is not an error
    }

    @Test
    void shouldSurviveReopen() {
        ConsumerOffsets offsets = open();
        offsets.commit("g1", Map.of(ORDERS_0, 1L, ORDERS_1, 2L), "first");
        offsets.commit("g1", Map.of(ORDERS_0, 5L), "second");
        offsets.commit("g2", Map.of(USERS_0, 7L), "");
        offsets.commit("g3", Map.of(USERS_0, 8L), "");
        offsets.delete("g1", Set.of(ORDERS_1));
        offsets.delete("g3", Set.of());

        ConsumerOffsets reopened = open();

        assertThat(reopened.groups()).containsExactly("g1", "g2");
        assertThat(reopened.fetchAll("g1")).containsOnlyKeys(ORDERS_0);
        assertThat(reopened.fetch("g1", ORDERS_0).orElseThrow())
                .satisfies(o -> assertThat(o.offset()).isEqualTo(5))
                .satisfies(o -> assertThat(o.metadata()).isEqualTo("second"));
        assertThat(reopened.fetch("g2", USERS_0).orElseThrow().offset()).isEqualTo(7);
    }

    @Test
    void shouldSurviveReopenAfterManyCommitsAndCompaction() {
        ConsumerOffsets offsets = open();
        Map<TopicPartition, Long> expected = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            TopicPartition tp = new TopicPartition("t" + (i % 7), i % 3);
            offsets.commit("g" + (i % 5), Map.of(tp, (long) i), "m" + i);
            if (i % 5 == 0) {
                expected.put(tp, (long) i);
            }
        }
        log.runMaintenance();

        ConsumerOffsets reopened = open();

        expected.forEach((tp, offset) ->
                assertThat(reopened.fetch("g0", tp).orElseThrow().offset()).isEqualTo(offset));
        assertThat(reopened.fetchAll("g0")).hasSize(expected.size());
    }
}
