package io.sluice.worker.cluster;

import io.sluice.worker.cluster.ClusterState.Assignment;
import io.sluice.worker.cluster.ClusterState.Owner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Spreads connectors and tasks evenly over live workers, sticky: a connector or task whose worker is
 * still live stays there unless the spread is off by more than one, so a worker joining takes some
 * and the others keep running. Connector instances and tasks are spread separately. Whatever changes
 * worker gets {@code epoch}, the new generation. Pure and deterministic.
 */
public final class TaskAssignor {

    private TaskAssignor() {}

    /** One unit of work: a connector instance ({@code task == -1}) or a task. */
    record Slot(String connector, int task) {}

    /**
     * @param live node ids of the live workers (not empty)
     * @param taskCounts each connector and how many tasks it has now
     * @param current the assignment in force (may name dead workers and removed connectors)
     * @param epoch the epoch given to every connector or task that gets a new worker
     * @return the assignment of every connector in {@code taskCounts}
     */
    public static Map<String, Assignment> assign(
            SortedSet<Integer> live,
            SortedMap<String, Integer> taskCounts,
            Map<String, Assignment> current,
            long epoch) {
        if (live.isEmpty()) {
            throw new IllegalArgumentException("no live worker to assign to");
        }
        List<Slot> connectors = new ArrayList<>();
        List<Slot> tasks = new ArrayList<>();
        Map<Slot, Owner> before = new LinkedHashMap<>();
        taskCounts.forEach((name, count) -> {
            Assignment a = current.get(name);
            Slot c = new Slot(name, -1);
            connectors.add(c);
            if (a != null && a.connector() != null) {
                before.put(c, a.connector());
            }
            for (int i = 0; i < count; i++) {
                Slot t = new Slot(name, i);
                tasks.add(t);
                if (a != null && i < a.tasks().size() && a.tasks().get(i) != null) {
                    before.put(t, a.tasks().get(i));
                }
            }
        });
        Map<Slot, Owner> after = new LinkedHashMap<>();
        after.putAll(spread(connectors, before, live, epoch));
        after.putAll(spread(tasks, before, live, epoch));
        Map<String, Assignment> out = new TreeMap<>();
        taskCounts.forEach((name, count) -> {
            List<Owner> owners = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                owners.add(after.get(new Slot(name, i)));
            }
            out.put(name, new Assignment(after.get(new Slot(name, -1)), owners));
        });
        return out;
    }

    private static Map<Slot, Owner> spread(
            List<Slot> slots, Map<Slot, Owner> before, SortedSet<Integer> live, long epoch) {
        Map<Integer, List<Slot>> byNode = new TreeMap<>();
        live.forEach(n -> byNode.put(n, new ArrayList<>()));
        Map<Slot, Owner> out = new LinkedHashMap<>();
        List<Slot> unplaced = new ArrayList<>();
        for (Slot s : slots) {
            Owner o = before.get(s);
            if (o != null && live.contains(o.node())) {
                out.put(s, o);
                byNode.get(o.node()).add(s);
            } else {
                unplaced.add(s);
            }
        }
        Comparator<Integer> byLoad =
                Comparator.<Integer>comparingInt(n -> byNode.get(n).size()).thenComparing(n -> n);
        for (Slot s : unplaced) {
            int node = live.stream().min(byLoad).orElseThrow();
            byNode.get(node).add(s);
            out.put(s, new Owner(node, epoch));
        }
        while (true) {
            int most = live.stream().max(byLoad).orElseThrow();
            int least = live.stream().min(byLoad).orElseThrow();
            if (byNode.get(most).size() - byNode.get(least).size() <= 1) {
                break;
            }
            List<Slot> from = byNode.get(most);
            Slot moved = from.remove(from.size() - 1);
            byNode.get(least).add(moved);
            out.put(moved, new Owner(least, epoch));
        }
        return out;
    }
}
