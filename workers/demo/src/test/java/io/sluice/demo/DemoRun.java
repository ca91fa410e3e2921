package io.sluice.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar sluice-demo.jar ...} as a user runs it, in a child process whose output lines are
 * collected (and copied to a console file) for the test to read.
 */
final class DemoRun implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private DemoRun(Process process, Path console) throws IOException {
        this.process = process;
        PrintWriter copy = new PrintWriter(Files.newBufferedWriter(console, StandardCharsets.UTF_8), true);
        this.reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = in.readLine(); line != null; line = in.readLine()) {
                            lines.add(line);
                            copy.println(line);
                        }
                    } catch (IOException e) {
                        lines.add("(output unreadable: " + e + ")");
                    } finally {
                        copy.close();
                    }
                },
                "demo-output");
        reader.setDaemon(true);
        reader.start();
    }

    static DemoRun start(Path console, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("sluice.demo.jar", "target/sluice-demo.jar")));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new DemoRun(process, console);
    }

    /** Waits for the process to exit and its output to be read to the end; false on timeout. */
    boolean awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            return false;
        }
        reader.join(unit.toMillis(timeout));
        return !reader.isAlive();
    }

    Process process() {
        return process;
    }

    List<String> lines() {
        return lines;
    }

    boolean printed(String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /** The first group of {@code pattern} in the first line it matches. */
    Optional<String> find(Pattern pattern) {
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /** The JSON blocks printed after "== POST" lines, in order (each from a "{" line to a "}" line). */
    List<String> postedJson() {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        boolean afterPost = false;
        for (String line : lines) {
            if (line.startsWith("== POST")) {
                afterPost = true;
            } else if (afterPost && line.equals("{")) {
                block = new StringBuilder(line).append('\n');
            } else if (block != null) {
                block.append(line).append('\n');
                if (line.equals("}")) {
                    blocks.add(block.toString());
                    block = null;
                    afterPost = false;
                }
            }
        }
        return blocks;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
