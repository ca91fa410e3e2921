package io.sluice.worker.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Decides where every partition's replicas should be for a set of members: the replication factor is
 * {@code min(configured, members)}, each member holds a fair share of replicas (counts differ by at
 * most one) and is the preferred leader (first replica) of a fair share of partitions, and as few
 * replicas as possible move to get there. A replica on a node that is no longer a member goes to the
 * least-loaded member that lacks one; replicas that stay keep their order, new ones are added last.
 *
 * <p>Pure and deterministic (ties broken by node id, partitions taken in name order); not thread-safe
 * in any interesting sense: it has no state.
 */
public final class ReplicaPlanner {

    /** One partition of one topic, ordered by topic, then partition. */
    public record PartitionId(String topic, int partition) implements Comparable<PartitionId> {
        @Override
        public int compareTo(PartitionId o) {
            int c = topic.compareTo(o.topic);
            return c != 0 ? c : Integer.compare(partition, o.partition);
        }

        @Override
        public String toString() {
            return topic + "-" + partition;
        }
    }

    private ReplicaPlanner() {}

    /**
     * The target placement of every partition in {@code current}.
     *
     * @param members the nodes that may hold replicas (non-empty)
     * @param current each partition's replicas now, preferred leader first
     * @param replicationFactor the configured factor; the result uses {@code min(it, members)}
     */
    static Map<PartitionId, List<Integer>> plan(
            SortedSet<Integer> members, Map<PartitionId, List<Integer>> current, int replicationFactor) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("no members to place replicas on");
        }
        int rf = Math.min(replicationFactor, members.size());
        Map<PartitionId, List<Integer>> target = new TreeMap<>();
        Map<Integer, Integer> load = new TreeMap<>();
        members.forEach(m -> load.put(m, 0));
        current.forEach((p, replicas) -> {
            List<Integer> kept = new ArrayList<>(
                    replicas.stream().filter(members::contains).distinct().toList());
            target.put(p, kept);
            kept.forEach(m -> load.merge(m, 1, Integer::sum));
        });
        for (List<Integer> replicas : target.values()) {
            while (replicas.size() > rf) {
                Integer busiest = mostLoaded(load, replicas);
                replicas.remove(busiest);
                load.merge(busiest, -1, Integer::sum);
            }
            while (replicas.size() < rf) {
                Integer idlest = leastLoaded(load, members, replicas);
                replicas.add(idlest);
                load.merge(idlest, 1, Integer::sum);
            }
        }
        spreadReplicas(target, load);
        spreadLeaders(target, members);
        return target;
    }

    /** Moves single replicas from the most to the least loaded member until counts differ by ≤ 1. */
    private static void spreadReplicas(Map<PartitionId, List<Integer>> target, Map<Integer, Integer> load) {
        while (true) {
            Integer busiest = mostLoaded(load, load.keySet());
            Integer idlest = leastLoaded(load, load.keySet(), List.of());
            if (load.get(busiest) - load.get(idlest) <= 1) {
                return;
            }
            boolean moved = false;
            for (List<Integer> replicas : target.values()) {
                if (replicas.contains(busiest) && !replicas.contains(idlest)) {
                    replicas.set(replicas.indexOf(busiest), idlest);
                    load.merge(busiest, -1, Integer::sum);
                    load.merge(idlest, 1, Integer::sum);
                    moved = true;
                    break;
                }
            }
            if (!moved) {
                return; // every partition of the busiest member already has the idlest one
            }
        }
    }

    /** Reorders replicas (no data moves) until preferred-leader counts differ by at most one, as far as reordering within partitions allows. */
    private static void spreadLeaders(Map<PartitionId, List<Integer>> target, SortedSet<Integer> members) {
        Map<Integer, Integer> leaders = new TreeMap<>();
        members.forEach(m -> leaders.put(m, 0));
        target.values().stream().filter(r -> !r.isEmpty()).forEach(r -> leaders.merge(r.get(0), 1, Integer::sum));
        for (int round = 0; round < target.size() * members.size(); round++) {
            if (!moveOneLeader(target, leaders)) {
                return;
            }
        }
    }

    /**
     * Makes one replica with at least two fewer preferred-leaderships than its partition's first
     * replica the first instead, starting with the members that lead most; false when none is left.
     */
    private static boolean moveOneLeader(Map<PartitionId, List<Integer>> target, Map<Integer, Integer> leaders) {
        List<Integer> busiestFirst = leaders.keySet().stream()
                .sorted(Comparator.comparingInt((Integer m) -> -leaders.get(m))
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
        for (Integer most : busiestFirst) {
            for (List<Integer> replicas : target.values()) {
                if (replicas.isEmpty() || !replicas.get(0).equals(most)) {
                    continue;
                }
                Integer least = replicas.stream()
                        .filter(m -> leaders.get(m) < leaders.get(most) - 1)
                        .min(Comparator.comparingInt((Integer m) -> leaders.get(m))
                                .thenComparing(Comparator.naturalOrder()))
                        .orElse(null);
                if (least != null) {
                    replicas.remove(least);
                    replicas.add(0, least);
                    leaders.merge(most, -1, Integer::sum);
                    leaders.merge(least, 1, Integer::sum);
                    return true;
                }
            }
        }
        return false;
    }

    private static Integer mostLoaded(Map<Integer, Integer> load, Collection<Integer> among) {
        return among.stream()
                .max(Comparator.comparingInt((Integer m) -> load.get(m)).thenComparing(Comparator.reverseOrder()))
                .orElseThrow();
    }

    private static Integer leastLoaded(Map<Integer, Integer> load, Collection<Integer> among, List<Integer> except) {
        return among.stream()
                .filter(m -> !except.contains(m))
                .min(Comparator.comparingInt((Integer m) -> load.get(m)).thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
    }

    /** How many replicas {@code target} places on nodes that do not hold them in {@code current}. */
    static int replicaMoves(Map<PartitionId, List<Integer>> current, Map<PartitionId, List<Integer>> target) {
        int moves = 0;
        for (Map.Entry<PartitionId, List<Integer>> e : target.entrySet()) {
            List<Integer> before = current.getOrDefault(e.getKey(), List.of());
            moves +=
                    (int) e.getValue().stream().filter(m -> !before.contains(m)).count();
        }
        return moves;
    }
}
