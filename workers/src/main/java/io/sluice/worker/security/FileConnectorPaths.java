package io.sluice.worker.security;

import io.sluice.core.validation.ConfigPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Confines Kafka's file connectors and their tasks to the allowed directories: the {@code file}
 * they name must lie below one of them once symbolic links are resolved (the deepest existing
 * ancestor is resolved; a not yet existing rest may not climb with {@code ..}). Without {@code
 * file} they use standard input or output, which stays allowed. Checked when a config is
 * validated, created or changed, and again when a task starts, so a link changed later is caught.
 * Immutable and thread-safe.
 */
public final class FileConnectorPaths implements ConfigPolicy {

    /** Kafka's file connectors and tasks (matched by name, whichever loader has them). */
    static final Set<String> FILE_CLASSES = Set.of(
            "org.apache.kafka.connect.file.FileStreamSourceConnector",
            "org.apache.kafka.connect.file.FileStreamSinkConnector",
            "org.apache.kafka.connect.file.FileStreamSourceTask",
            "org.apache.kafka.connect.file.FileStreamSinkTask");

    static final String FILE = "file";

    private final List<Path> allowed;
    private final String allowedText;

    /** @param allowed directories below which files may lie (each resolved if it exists) */
    public FileConnectorPaths(List<Path> allowed) {
        List<Path> real = new ArrayList<>();
        for (Path dir : allowed) {
            real.add(resolve(dir.toAbsolutePath()));
        }
        this.allowed = List.copyOf(real);
        this.allowedText = real.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /** From the settings: the allowed paths, or the data directory when none are given. */
    public static FileConnectorPaths of(FileConnectorProperties properties, Path dataDir) {
        return new FileConnectorPaths(
                properties.allowedPaths().isEmpty() ? List.of(dataDir) : properties.allowedPaths());
    }

    @Override
    public Map<String, String> check(String connectorClass, Map<String, String> config) {
        if (connectorClass == null || !FILE_CLASSES.contains(connectorClass)) {
            return Map.of();
        }
        String file = config.get(FILE);
        if (file == null || file.isEmpty()) {
            return Map.of();
        }
        if (allowedFile(file)) {
            return Map.of();
        }
        return Map.of(
                FILE,
                "The file is outside the directories file connectors may use (sluice.file-connectors.allowed-paths: "
                        + allowedText + ")");
    }

    boolean allowedFile(String file) {
        Path path;
        try {
            path = Path.of(file).toAbsolutePath();
        } catch (InvalidPathException e) {
            return false;
        }
        Path real = resolve(path);
        if (real == null) {
            return false;
        }
        for (Path dir : allowed) {
            if (dir != null && real.startsWith(dir) && !real.equals(dir)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The real path of {@code path}: its deepest existing ancestor with links resolved, plus the
     * rest; null when the rest climbs out with {@code ..}.
     */
    private static Path resolve(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path.normalize();
        }
        Path rest = existing.relativize(path);
        for (Path part : rest) {
            if (part.toString().equals("..")) {
                return null;
            }
        }
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return null;
        }
    }
}
