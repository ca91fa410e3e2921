package io.sluice.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Real CPU load for tests that must hold on a busy host: {@code stress-ng --cpu N} when it is on the
 * PATH, else a child JVM spinning {@code N} busy threads. Either way a separate process, stopped (and
 * waited for) on {@link #close()}.
 */
final class CpuLoad implements AutoCloseable {

    private final Process process;
    private final String how;

    private CpuLoad(Process process, String how) {
        this.process = process;
        this.how = how;
    }

    /**
     * The extra load cluster, fault and CDC tests put on the host: {@code -Dsluice.test.cpu-load=N}
     * busy workers (0, the default, for none: the suite's own processes already share two cores).
     * {@code bench/run stressed} runs those tests with the load on.
     */
    static int configuredWorkers() {
        return Integer.getInteger("sluice.test.cpu-load", 0);
    }

    /** Starts {@code workers} busy workers; with 0, none (a load that does nothing). */
    static CpuLoad start(int workers) throws IOException {
        if (workers <= 0) {
            return new CpuLoad(null, "no extra load");
        }
        if (onPath("stress-ng")) {
            Process p = new ProcessBuilder("stress-ng", "--cpu", Integer.toString(workers), "--quiet")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new CpuLoad(p, "stress-ng --cpu " + workers);
        }
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Spin.class.getName(),
                        Integer.toString(workers))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new CpuLoad(p, "a JVM spinning " + workers + " threads");
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }

    boolean isAlive() {
        return process == null || process.isAlive();
    }

    @Override
    public String toString() {
        return how;
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The fallback load: {@code args[0]} threads spinning until the JVM is stopped. */
    static final class Spin {
        public static void main(String[] args) {
            int n = Integer.parseInt(args[0]);
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    long x = 0;
                    while (true) {
                        x = x * 31 + 7;
                        if (x == 42) {
                            System.out.print("");
                        }
                    }
                });
                t.start();
            }
        }
    }
}
