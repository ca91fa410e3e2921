package io.sluice.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.status.TaskId;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.worker.cluster.ClusterState.Member;
import io.sluice.worker.store.CompactedTopicMap;
import io.sluice.worker.store.ConfigStore;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task moved to another worker starts there only once its previous worker released it (having
 * committed its last offsets), or that worker is no longer a live member, or the wait timed out.
 */
class TaskHandoverTest {

    private static final TaskId TASK = new TaskId("cdc", 0);

    @TempDir
    Path dir;

    private Log log;
    private CompactedTopicMap configs;
    private ClusterState state;

    @BeforeEach
    void open() {
        log = Log.open(LogOptions.defaults(dir));
        configs = CompactedTopicMap.open(log, ConfigStore.TOPIC);
        state = new ClusterState(configs);
        member(1, "ALIVE");
        member(2, "ALIVE");
    }

    @AfterEach
    void close() {
        log.close();
    }

    private void member(int node, String memberState) {
        configs.put(ClusterState.MEMBER + node, ClusterState.encode(new Member(node, "node-" + node, memberState, 0)));
    }

    private TaskHandover on(int node, long timeoutMillis) {
        return new TaskHandover(node, state, configs, timeoutMillis);
    }

    @Test
    void shouldStartATaskNoWorkerHeldBefore() {
        assertThat(on(2, 60_000).free(TASK, 7)).isTrue();
    }

    @Test
    void shouldWaitForALiveHolderToReleaseTheTask() {
        TaskHandover old = on(1, 60_000);
        TaskHandover next = on(2, 60_000);
        old.held(TASK, 5);
        assertThat(next.free(TASK, 7)).as("node 1 still runs it").isFalse();
        old.release(TASK, 5);
        assertThat(next.free(TASK, 7)).as("node 1 released it").isTrue();
    }

    @Test
    void shouldNotWaitForAHolderThatIsNoLongerALiveMember() {
        on(1, 60_000).held(TASK, 5);
        member(1, "DEAD");
        assertThat(on(2, 60_000).free(TASK, 7)).isTrue();
    }

    @Test
    void shouldStartAfterTheTimeoutWhenTheHolderNeverReleases() throws Exception {
        on(1, 60_000).held(TASK, 5);
        TaskHandover next = on(2, 200);
        assertThat(next.free(TASK, 7)).isFalse();
        Thread.sleep(300); // the timeout itself is what is tested
        assertThat(next.free(TASK, 7)).isTrue();
    }

    @Test
    void shouldNotLetALateReleaseOfAnEarlierHoldingReleaseTheCurrentOne() {
        TaskHandover node1 = on(1, 60_000);
        node1.held(TASK, 5);
        node1.release(TASK, 5);
        on(2, 60_000).held(TASK, 7);
        node1.release(TASK, 5); // nothing held by node 1 any more: no write
        assertThat(on(1, 60_000).free(TASK, 9))
                .as("node 1 starting it under epoch 9")
                .isFalse();
    }

    @Test
    void shouldReleaseWhatAnEarlierRunOfTheWorkerHeldWhenItJoins() {
        on(1, 60_000).held(TASK, 5);
        TaskHandover restarted = on(1, 60_000);
        TaskHandover next = on(2, 60_000);
        assertThat(next.free(TASK, 7))
                .as("node 1 alive, holding it from its earlier run")
                .isFalse();
        restarted.releaseStale();
        assertThat(next.free(TASK, 7)).isTrue();
    }

    @Test
    void shouldNotReleaseWhatThisRunOfTheWorkerStillRuns() {
        TaskHandover node1 = on(1, 60_000);
        node1.held(TASK, 5);
        node1.releaseStale();
        assertThat(on(2, 60_000).free(TASK, 7)).isFalse();
    }
}
