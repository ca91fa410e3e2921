package io.sluice.worker.security;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the data directory private to the worker's user: at start every directory below it is
 * made 0700 and every file 0600 (the directory itself being 0700, files created later are out of
 * other users' reach whatever their mode; {@code bin/sluice} runs the worker with {@code umask 077}
 * so they are 0600 too). Does nothing on file systems without POSIX permissions.
 */
final class DataDirPermissions {

    private static final Logger log = LoggerFactory.getLogger(DataDirPermissions.class);
    static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataDirPermissions() {}

    /** Tightens {@code dataDir}; returns how many entries were changed. */
    static int tighten(Path dataDir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix") || !Files.isDirectory(dataDir)) {
            return 0;
        }
        int[] changed = {0};
        Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                changed[0] += set(dir, DIR);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    changed[0] += set(file, FILE);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // removed meanwhile (a rolled or cleaned segment)
            }
        });
        if (changed[0] > 0) {
            log.info("Made {} entries of the data directory {} private to this user (0700/0600)", changed[0], dataDir);
        }
        return changed[0];
    }

    private static int set(Path path, Set<PosixFilePermission> wanted) throws IOException {
        try {
            if (Files.getPosixFilePermissions(path).equals(wanted)) {
                return 0;
            }
            Files.setPosixFilePermissions(path, wanted);
            return 1;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        }
    }
}
