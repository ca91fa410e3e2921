package io.sluice.worker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.worker.cluster.ClusterState.Assignment;
import io.sluice.worker.cluster.ClusterState.Owner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TaskAssignorTest {

    private static SortedMap<String, Integer> counts(Object... nameAndCount) {
        SortedMap<String, Integer> out = new TreeMap<>();
        for (int i = 0; i < nameAndCount.length; i += 2) {
            out.put((String) nameAndCount[i], (Integer) nameAndCount[i + 1]);
        }
        return out;
    }

    private static Map<Integer, Integer> tasksPerNode(Map<String, Assignment> a) {
        Map<Integer, Integer> out = new HashMap<>();
        a.values().forEach(x -> x.tasks().forEach(o -> out.merge(o.node(), 1, Integer::sum)));
        return out;
    }

    @Test
    void shouldSpreadConnectorsAndTasksEvenlyOverLiveWorkers() {
        Map<String, Assignment> a =
                TaskAssignor.assign(new TreeSet<>(List.of(1, 2, 3)), counts("a", 4, "b", 3, "c", 2), Map.of(), 1);

        assertThat(tasksPerNode(a)).containsOnly(Map.entry(1, 3), Map.entry(2, 3), Map.entry(3, 3));
        assertThat(a.values().stream().map(x -> x.connector().node()).distinct())
                .hasSize(3);
        assertThat(a.values()).allSatisfy(x -> assertThat(x.tasks()).allMatch(o -> o.epoch() == 1));
    }

    @Test
    void shouldMoveOnlyTheDeadWorkersTasksWithANewEpoch() {
        Map<String, Assignment> before =
                TaskAssignor.assign(new TreeSet<>(List.of(1, 2, 3)), counts("a", 6), Map.of(), 1);

        Map<String, Assignment> after = TaskAssignor.assign(new TreeSet<>(List.of(1, 3)), counts("a", 6), before, 2);

        for (int i = 0; i < 6; i++) {
            Owner was = before.get("a").tasks().get(i);
            Owner now = after.get("a").tasks().get(i);
            if (was.node() == 2) {
                assertThat(now.node()).isIn(1, 3);
                assertThat(now.epoch()).isEqualTo(2);
            } else {
                assertThat(now).isEqualTo(was);
            }
        }
        assertThat(tasksPerNode(after)).containsOnly(Map.entry(1, 3), Map.entry(3, 3));
    }

    @Test
    void shouldGiveAJoiningWorkerSomeTasksAndLeaveTheRestWhereTheyRun() {
        Map<String, Assignment> two = TaskAssignor.assign(new TreeSet<>(List.of(1, 2)), counts("a", 6), Map.of(), 1);

        Map<String, Assignment> three = TaskAssignor.assign(new TreeSet<>(List.of(1, 2, 3)), counts("a", 6), two, 2);

        assertThat(tasksPerNode(three)).containsOnly(Map.entry(1, 2), Map.entry(2, 2), Map.entry(3, 2));
        long moved = 0;
        for (int i = 0; i < 6; i++) {
            if (!three.get("a").tasks().get(i).equals(two.get("a").tasks().get(i))) {
                moved++;
                assertThat(three.get("a").tasks().get(i)).isEqualTo(new Owner(3, 2));
            }
        }
        assertThat(moved).isEqualTo(2);
    }

    @Test
    void shouldChangeNothingWhenNothingChanged() {
        Map<String, Assignment> a =
                TaskAssignor.assign(new TreeSet<>(List.of(1, 2, 3)), counts("a", 2, "b", 5), Map.of(), 1);

        assertThat(TaskAssignor.assign(new TreeSet<>(List.of(1, 2, 3)), counts("a", 2, "b", 5), a, 2))
                .isEqualTo(a);
    }

    @Test
    void shouldDropRemovedConnectorsAndTasks() {
        Map<String, Assignment> a =
                TaskAssignor.assign(new TreeSet<>(List.of(1, 2)), counts("a", 4, "b", 1), Map.of(), 1);

        Map<String, Assignment> after = TaskAssignor.assign(new TreeSet<>(List.of(1, 2)), counts("a", 2), a, 2);

        assertThat(after).containsOnlyKeys("a");
        assertThat(after.get("a").tasks()).hasSize(2);
    }

    @Test
    void shouldGiveAReturningWorkerOnlyWhatTheBalanceNeedsAndNotItsOldTasksBack() {
        Map<String, Assignment> three =
                TaskAssignor.assign(new TreeSet<>(List.of(1, 2, 3)), counts("a", 7), Map.of(), 1);
        Map<String, Assignment> two = TaskAssignor.assign(new TreeSet<>(List.of(1, 2)), counts("a", 7), three, 2);

        Map<String, Assignment> back = TaskAssignor.assign(new TreeSet<>(List.of(1, 2, 3)), counts("a", 7), two, 3);

        // 7 tasks on two workers are 4 + 3; the returning worker gets two, enough that no worker has
        // more than one task more than another, and everything else stays where it runs
        assertThat(tasksPerNode(back)).containsEntry(3, 2);
        long moved = 0;
        for (int i = 0; i < 7; i++) {
            if (!back.get("a").tasks().get(i).equals(two.get("a").tasks().get(i))) {
                moved++;
            }
        }
        assertThat(moved).isEqualTo(2);
    }

    @Test
    void shouldMoveNothingToAReturningWorkerWhenTheSpreadIsOffByOneAtMost() {
        Map<String, Assignment> two = TaskAssignor.assign(new TreeSet<>(List.of(1, 2)), counts("a", 2), Map.of(), 1);

        Map<String, Assignment> back = TaskAssignor.assign(new TreeSet<>(List.of(1, 2, 3)), counts("a", 2), two, 2);

        assertThat(back).isEqualTo(two);
    }

    @Test
    void shouldKeepTheAssignmentWhenTheSameWorkersComeBackAfterARestartOfTheLeader() {
        Map<String, Assignment> a =
                TaskAssignor.assign(new TreeSet<>(List.of(1, 2, 3)), counts("a", 5, "b", 3), Map.of(), 1);

        assertThat(TaskAssignor.assign(new TreeSet<>(List.of(3, 2, 1)), counts("a", 5, "b", 3), a, 7))
                .isEqualTo(a);
    }
}
