package io.sluice.demo;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the demo shows while it runs: one line per new object in the bucket, and a progress line
 * with the counts at each stage (changes made in PostgreSQL, records in the hub's topics, objects
 * and records in the bucket). On a terminal the progress line is rewritten in place; otherwise
 * (output piped to a file or a test) it is printed every {@code plainEvery} updates.
 *
 * <p>Used from one thread.
 */
final class Progress {

    /** Counts at one moment. */
    record Counts(
            long snapshotRows,
            long inserts,
            long updates,
            long deletes,
            long topicRecords,
            int objects,
            long lakeRecords) {
        long changes() {
            return inserts + updates + deletes;
        }
    }

    private final PrintStream out;
    private final boolean terminal;
    private final int plainEvery;
    private final long startNanos;
    private final Set<String> shown = new HashSet<>();
    private int updates;
    private boolean lineOpen;

    Progress(PrintStream out, boolean terminal, int plainEvery, long startNanos) {
        this.out = out;
        this.terminal = terminal;
        this.plainEvery = plainEvery;
        this.startNanos = startNanos;
    }

    /** Prints objects not shown before, then the progress line. */
    void update(List<LakeServer.LakeObject> objects, Counts counts) {
        for (LakeServer.LakeObject o : objects) {
            if (shown.add(o.key())) {
                message(String.format(
                        "  + s3://%s/%s  (%d records, %d bytes)%s",
                        LakeServer.BUCKET,
                        o.key(),
                        o.records(),
                        o.size(),
                        shown.size() == 1 ? "  <- first object, " + elapsed() + " after start" : ""));
            }
        }
        String line = line(counts);
        if (terminal) {
            out.print("\r" + line + "\033[K");
            out.flush();
            lineOpen = true;
        } else if (updates++ % plainEvery == 0) {
            out.println(line);
        }
    }

    /** Prints a line of its own above the progress line. */
    void message(String text) {
        if (lineOpen) {
            out.print("\r\033[K");
            lineOpen = false;
        }
        out.println(text);
    }

    String line(Counts c) {
        return String.format(
                "[%s] postgres: %,d rows + %,d changes (%,d ins, %,d upd, %,d del) -> hub log: %,d records"
                        + " (a delete adds a tombstone) -> s3: %,d objects, %,d rows",
                elapsed(),
                c.snapshotRows(),
                c.changes(),
                c.inserts(),
                c.updates(),
                c.deletes(),
                c.topicRecords(),
                c.objects(),
                c.lakeRecords());
    }

    private String elapsed() {
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        return String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
