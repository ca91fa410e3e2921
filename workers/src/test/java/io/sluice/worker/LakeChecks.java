package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.FetchResult;
import io.sluice.log.Log;
import io.sluice.log.LogOptions;
import io.sluice.log.PartitionLog;
import io.sluice.log.StoredRecord;
import io.sluice.worker.CdcLake.LakeObject;
import io.sluice.worker.CdcLake.Row;
import io.sluice.worker.ShopWorkload.Change;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the CDC cluster test checks in the lake, against the journal of committed changes and against
 * the log. Stateless.
 */
final class LakeChecks {

    private LakeChecks() {}

    /**
     * How far the lake is: journal changes up to the cut-off it does not hold yet, and rows it holds that
     * the journal never recorded (a CDC source that started over with a new snapshot writes such rows).
     */
    record Progress(List<Long> missing, List<Row> phantoms, Map<Long, Change> journal) {

        boolean caughtUp() {
            return missing.isEmpty();
        }

        String describe() {
            Map<String, Long> missingPerTable = missing.stream()
                    .collect(Collectors.groupingBy(s -> journal.get(s).table(), TreeMap::new, Collectors.counting()));
            Map<String, Long> phantomsPerOp = phantoms.stream()
                    .collect(Collectors.groupingBy(r -> r.change().op(), TreeMap::new, Collectors.counting()));
            return String.format(
                    "%d committed changes not in the lake %s, journal seq %s..%s, e.g. %s; %d lake rows never"
                            + " committed as such %s, e.g. %s",
                    missing.size(),
                    missingPerTable,
                    missing.isEmpty() ? "-" : missing.get(0),
                    missing.isEmpty() ? "-" : missing.get(missing.size() - 1),
                    missing.stream().limit(5).map(journal::get).toList(),
                    phantoms.size(),
                    phantomsPerOp,
                    phantoms.stream().limit(5).toList());
        }
    }

    /** The lake's progress over the journal's changes up to {@code cutoff} (read the lake first, then the journal). */
    static Progress progress(List<Row> lake, Map<Long, Change> journal, long cutoff) {
        Set<Change> inLake = new HashSet<>();
        lake.forEach(r -> inLake.add(r.change()));
        Set<Change> committed = new HashSet<>(journal.values());
        List<Long> missing = new ArrayList<>();
        journal.forEach((seq, c) -> {
            if (seq <= cutoff && !inLake.contains(c)) {
                missing.add(seq);
            }
        });
        List<Row> phantoms =
                lake.stream().filter(r -> !committed.contains(r.change())).toList();
        return new Progress(missing, phantoms, journal);
    }

    /** Per topic partition, objects start at their first row's offset and offsets only grow across them. */
    static void assertObjectsDoNotOverlap(List<LakeObject> objects) {
        Map<String, Long> lastOffset = new HashMap<>();
        for (LakeObject o : objects) {
            assertThat(o.rows()).as("rows of %s", o.key()).isNotEmpty();
            assertThat(o.rows().get(0).offset())
                    .as("%s is named by its first record's offset", o.key())
                    .isEqualTo(o.start());
            for (Row r : o.rows()) {
                assertThat(r.partition())
                        .as("partition of a row of %s", o.key())
                        .isEqualTo(o.partition());
                long previous = lastOffset.getOrDefault(o.topic() + "-" + o.partition(), -1L);
                assertThat(r.offset())
                        .as("%s: offset %d after %d (objects must not overlap)", o.key(), r.offset(), previous)
                        .isGreaterThan(previous);
                lastOffset.put(o.topic() + "-" + o.partition(), r.offset());
            }
        }
    }

    /**
     * Per topic partition, the lake's rows are exactly the log's non-tombstone records up to the
     * lake's last offset: no gap, no repeat. The log is read from the files of stopped workers'
     * replicas ({@code replicaLogs}: each a {@code <data-dir>/replication/log}), from one that reaches
     * the lake's last offset (a replica holds a prefix of the committed log).
     */
    static void assertHoldsTheLogExactlyOnce(List<Path> replicaLogs, List<LakeObject> objects) {
        Map<String, List<Row>> lake = new TreeMap<>();
        for (Row r : CdcLake.rows(objects)) {
            lake.computeIfAbsent(r.topic() + "-" + r.partition(), k -> new ArrayList<>())
                    .add(r);
        }
        for (Map.Entry<String, List<Row>> e : lake.entrySet()) {
            String topic = e.getValue().get(0).topic();
            int partition = e.getValue().get(0).partition();
            long last = e.getValue().get(e.getValue().size() - 1).offset();
            List<Row> log = null;
            List<String> shorter = new ArrayList<>();
            for (Path dir : replicaLogs) {
                List<Row> replica = replicaRows(dir, topic, partition, last);
                if (replica != null) {
                    log = replica;
                    break;
                }
                shorter.add(dir.toString());
            }
            assertThat(log)
                    .as("%s: a replica reaching offset %d (these do not: %s)", e.getKey(), last, shorter)
                    .isNotNull();
            assertThat(e.getValue())
                    .as("%s: the lake holds each log record up to offset %d exactly once", e.getKey(), last)
                    .containsExactlyElementsOf(log);
        }
    }

    /** The non-tombstone records up to {@code upTo} of a replica's files, or null if it ends before. */
    private static List<Row> replicaRows(Path dir, String topic, int partition, long upTo) {
        try (Log log = Log.open(LogOptions.defaults(dir))) {
            PartitionLog p = log.partition(topic, partition);
            assertThat(p.isOnline())
                    .as("%s %s-%d: %s", dir, topic, partition, p.offlineReason())
                    .isTrue();
            if (p.logEndOffset() <= upTo) {
                return null;
            }
            List<Row> out = new ArrayList<>();
            long offset = p.logStartOffset();
            while (offset <= upTo) {
                FetchResult r = p.fetch(offset, 1 << 20);
                for (StoredRecord s : r.records()) {
                    if (s.offset() <= upTo && s.value() != null) {
                        out.add(new Row(
                                topic,
                                partition,
                                s.offset(),
                                CdcLake.change(topic, new String(s.value(), StandardCharsets.UTF_8))));
                    }
                }
                assertThat(r.nextOffset())
                        .as("%s-%d reads on", topic, partition)
                        .isGreaterThan(offset);
                offset = r.nextOffset();
            }
            return out;
        }
    }

    /**
     * Every journal change up to {@code cutoff} is in {@code rows}, nothing is there that was not
     * committed, and per row (table and id) the first deliveries follow the journal's commit order.
     * Returns the number of rows repeating a change delivered before.
     */
    static int assertEveryChangeInCommitOrder(Map<Long, Change> journal, long cutoff, List<Row> rows) {
        Progress progress = progress(rows, journal, cutoff);
        assertThat(progress.caughtUp() && progress.phantoms().isEmpty())
                .as("the lake holds every committed change and nothing else: %s", progress.describe())
                .isTrue();
        Map<String, List<Change>> committedPerKey = new HashMap<>();
        journal.values()
                .forEach(c -> committedPerKey
                        .computeIfAbsent(c.table() + "#" + c.id(), k -> new ArrayList<>())
                        .add(c));
        Map<String, List<Change>> deliveredPerKey = new LinkedHashMap<>();
        Set<Change> seen = new HashSet<>();
        int duplicates = 0;
        for (Row r : rows) {
            if (seen.add(r.change())) {
                deliveredPerKey
                        .computeIfAbsent(r.change().table() + "#" + r.change().id(), k -> new ArrayList<>())
                        .add(r.change());
            } else {
                duplicates++;
            }
        }
        deliveredPerKey.forEach((key, delivered) -> assertThat(delivered)
                .as("%s: first deliveries in commit order", key)
                .containsExactlyElementsOf(committedPerKey.get(key).subList(0, delivered.size())));
        return duplicates;
    }
}
