package io.sluice.log.replication;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Which partition a Raft group replicates, written into the group's state machine directory when its
 * INIT entry is first applied, so a restarted node knows the partition before replaying the Raft log.
 * File {@code partition.properties}: {@code topic}, {@code partition}, and topic settings under
 * {@code setting.}.
 */
record GroupBinding(String topic, int partition, Map<String, String> settings) {

    static final String FILE = "partition.properties";
    private static final String SETTING = "setting.";

    static GroupBinding read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> settings = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(SETTING)) {
                settings.put(name.substring(SETTING.length()), p.getProperty(name));
            }
        }
        return new GroupBinding(p.getProperty("topic"), Integer.parseInt(p.getProperty("partition")), settings);
    }

    void write(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("topic", topic);
        p.setProperty("partition", Integer.toString(partition));
        settings.forEach((k, v) -> p.setProperty(SETTING + k, v));
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "partition replicated by this Raft group");
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    String describe() {
        return topic + "-" + partition;
    }
}
