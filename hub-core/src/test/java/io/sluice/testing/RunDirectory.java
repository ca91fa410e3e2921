package io.sluice.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where local servers live: {@code <tmp>/sluice-postgres-<user>/run-<jvm pid>-<random>/data}, next to
 * the unpacked binaries cache. The JVM's pid in the name lets a later run find directories whose
 * JVM died without cleaning up, stop a server still running there, and delete them.
 *
 * <p>Stateless; safe to use from several JVMs at once (a directory is only touched by the JVM that
 * created it, or once that JVM is gone).
 */
final class RunDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    private static final String PREFIX = "run-";

    private RunDirectory() {}

    /** The directory holding this user's binaries cache and run directories, created if missing. */
    static Path base(ServerAccount account) throws IOException {
        String name = "sluice-postgres-" + System.getProperty("user.name");
        Path base = Path.of(System.getProperty("java.io.tmpdir"), name);
        if (!account.canReach(base)) {
            base = Path.of("/tmp", name);
        }
        if (!Files.isDirectory(base)) {
            Files.createDirectories(base);
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return base;
    }

    /** A new empty run directory for this JVM, owned by the server's account. */
    static Path create(Path base, ServerAccount account) throws IOException {
        Path run =
                Files.createTempDirectory(base, PREFIX + ProcessHandle.current().pid() + "-");
        account.handOver(run);
        return run;
    }

    /** Stops and deletes what JVMs that are no longer running left in {@code base}. Best effort. */
    static void reapAbandoned(Path base) throws IOException {
        List<Path> runs;
        try (Stream<Path> children = Files.list(base)) {
            runs = children.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .toList();
        }
        for (Path run : runs) {
            Optional<Long> owner = ownerPid(run);
            if (owner.isEmpty()
                    || ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            LOG.info("Cleaning up {}, left by JVM {} which is gone", run, owner.get());
            postmaster(run).ifPresent(RunDirectory::stop);
            Trees.deleteTree(run);
        }
    }

    private static Optional<Long> ownerPid(Path run) {
        String[] parts = run.getFileName().toString().split("-");
        try {
            return parts.length >= 3 ? Optional.of(Long.parseLong(parts[1])) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The postmaster still running in {@code run}, if any (postmaster.pid names it). */
    private static Optional<ProcessHandle> postmaster(Path run) {
        Path pidFile = run.resolve("data/postmaster.pid");
        try {
            if (!Files.isReadable(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            return ProcessHandle.of(pid)
                    .filter(p -> p.info().command().orElse("").endsWith("postgres"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void stop(ProcessHandle postmaster) {
        postmaster.destroy();
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            postmaster.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
