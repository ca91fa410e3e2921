package io.sluice.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A partition's {@code partition.checkpoint} file: the log start offset, the recovery point (every
 * offset below it was forced to disk and need not be rescanned) and the high watermark. Written
 * atomically (temporary file, fsync, rename). A missing or unreadable file means "scan everything".
 */
record Checkpoint(long logStartOffset, long recoveryPoint, long highWatermark) {

    static final String FILE = "partition.checkpoint";
    static final Checkpoint NONE = new Checkpoint(0, 0, 0);

    static Checkpoint read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return NONE;
        }
        try {
            Properties p = new Properties();
            p.load(Files.newBufferedReader(file, StandardCharsets.UTF_8));
            if (!"1".equals(p.getProperty("version"))) {
                return NONE;
            }
            return new Checkpoint(
                    Long.parseLong(p.getProperty("log.start.offset")),
                    Long.parseLong(p.getProperty("recovery.point")),
                    Long.parseLong(p.getProperty("high.watermark")));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    void write(Path dir) throws IOException {
        String text = "version=1\nlog.start.offset=" + logStartOffset + "\nrecovery.point=" + recoveryPoint
                + "\nhigh.watermark=" + highWatermark + "\n";
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
