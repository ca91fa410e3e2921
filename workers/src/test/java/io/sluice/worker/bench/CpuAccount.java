package io.sluice.worker.bench;

import io.sluice.testing.TestDatabase;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time spent during one benchmark phase, by this JVM's threads and by the PostgreSQL server's
 * processes (the postmaster's descendants, from /proc), so a figure measured on a busy machine can
 * be read as CPU seconds per event, and the most a phase could reach on two idle cores estimated:
 * the total over two cores, and no single thread faster than one core.
 */
final class CpuAccount {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long postmaster;
    private Map<Long, Long> threadStart;
    private Map<Long, String> names;
    private double pgStart;
    private long processStart;

    CpuAccount(TestDatabase db) throws Exception {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            postmaster = ProcessHandle.of(rs.getLong(1))
                    .flatMap(ProcessHandle::parent)
                    .map(ProcessHandle::pid)
                    .orElse(-1L);
        }
    }

    void start() {
        threadStart = threadCpu();
        pgStart = pgSeconds();
        processStart = processCpuNanos();
    }

    /** One line: CPU seconds per million events by the busiest threads and PostgreSQL, and the bound. */
    String report(long events) {
        Map<Long, Long> now = threadCpu();
        Map<String, Double> byName = new HashMap<>();
        now.forEach((id, nanos) -> {
            double seconds = (nanos - threadStart.getOrDefault(id, 0L)) / 1e9;
            String name = names.getOrDefault(id, "?").replaceAll("-\\d+$", "");
            byName.merge(name, seconds, Double::sum);
        });
        double jvm = (processCpuNanos() - processStart) / 1e9;
        double pg = pgSeconds() - pgStart;
        double perMillion = 1e6 / events;
        double busiest =
                byName.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        String top = byName.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(3)
                .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue() * perMillion))
                .collect(Collectors.joining(", "));
        double bound = Math.min(2 / ((jvm + pg) / events), 1 / (busiest / events));
        return String.format(
                "    CPU per 1M events: worker JVM %.1f s (%s), PostgreSQL %.1f s -> on 2 idle cores at most ~%,.0f"
                        + " events/s",
                jvm * perMillion, top, pg * perMillion, bound);
    }

    private Map<Long, Long> threadCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> seen = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                    seen.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        names = names == null ? seen : merge(names, seen);
        return cpu;
    }

    private static Map<Long, String> merge(Map<Long, String> a, Map<Long, String> b) {
        Map<Long, String> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private double pgSeconds() {
        return ProcessHandle.of(postmaster)
                .map(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants())
                        .mapToDouble(CpuAccount::procSeconds)
                        .sum())
                .orElse(0.0);
    }

    private static double procSeconds(ProcessHandle p) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
