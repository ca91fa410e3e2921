package io.sluice.worker.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.kafka.common.Uuid;

/**
 * The cluster's id, kept in {@code cluster.id} in the data folder: made once (a Kafka-style
 * base64 UUID) when the folder is new, read back on every later start.
 */
final class ClusterId {

    static final String FILE = "cluster.id";

    private ClusterId() {}

    static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            String id = Uuid.randomUuid().toString();
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, FILE, ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the cluster id in " + file, e);
        }
    }
}
