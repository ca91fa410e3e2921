package io.sluice.worker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active topics kept in a compacted map: what two workers sharing the map (in a cluster, the
 * replicated status topic applied on each) see of each other's records and resets.
 */
class ActiveTopicsTest {

    @TempDir
    Path dir;

    @Test
    void shouldListTopicsRecordedByAnotherWorkerSharingTheMap() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            CompactedTopicMap map = CompactedTopicMap.open(log, "__status");
            ActiveTopics here = new ActiveTopics(map);
            ActiveTopics there = new ActiveTopics(map);

            there.record("orders-sink", "orders");
            there.record("orders-sink", "refunds");

            assertThat(here.topics("orders-sink")).containsExactly("orders", "refunds");
        }
    }

    @Test
    void shouldApplyAResetMadeOnAnotherWorkerAndRecordTheTopicAgainOnItsNextUse() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            CompactedTopicMap map = CompactedTopicMap.open(log, "__status");
            ActiveTopics here = new ActiveTopics(map);
            ActiveTopics there = new ActiveTopics(map);
            here.record("orders-sink", "orders");

            there.reset("orders-sink");
            assertThat(here.topics("orders-sink")).isEmpty();

            // the task on this worker uses the topic again: noted again, though this worker had noted it before
            here.record("orders-sink", "orders");
            assertThat(there.topics("orders-sink")).containsExactly("orders");
        }
    }

    @Test
    void shouldResetOnlyTheNamedConnectorWhenAnotherNameExtendsIt() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            ActiveTopics topics = new ActiveTopics(CompactedTopicMap.open(log, "__status"));
            topics.record("a", "t1");
            topics.record("a/b", "t2");

            topics.reset("a");

            assertThat(topics.topics("a")).isEmpty();
            assertThat(topics.topics("a/b")).containsExactly("t2");
        }
    }

    @Test
    void shouldIgnoreOtherKeysOfTheStatusTopic() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            CompactedTopicMap map = CompactedTopicMap.open(log, "__status");
            Map<String, byte[]> statuses = new LinkedHashMap<>();
            statuses.put("connector/orders-sink", "{\"state\":\"RUNNING\"}".getBytes(StandardCharsets.UTF_8));
            statuses.put("task/orders-sink/0", "{\"state\":\"RUNNING\"}".getBytes(StandardCharsets.UTF_8));
            map.putAll(statuses);
            ActiveTopics topics = new ActiveTopics(map);

            topics.record("orders-sink", "orders");

            assertThat(topics.topics("orders-sink")).containsExactly("orders");
            assertThat(map.withPrefix("topic/")).containsOnlyKeys("topic/orders-sink/orders");
        }
    }

    @Test
    void shouldKeepRecordedTopicsAcrossARestart() {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            new ActiveTopics(CompactedTopicMap.open(log, "__status")).record("src", "orders");
        }
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            assertThat(new ActiveTopics(CompactedTopicMap.open(log, "__status")).topics("src"))
                    .containsExactly("orders");
        }
    }
}
