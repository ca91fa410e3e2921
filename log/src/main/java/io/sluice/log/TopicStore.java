package io.sluice.log;

import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Persists a topic's settings in {@code <dataDir>/<topic>/topic.properties}, written atomically, so
 * topics and their configs survive restarts. Partition data lives in {@code <dataDir>/<topic>/<p>/}.
 */
final class TopicStore {

    static final String FILE = "topic.properties";

    private TopicStore() {}

    static void write(Path topicDir, TopicConfig config) throws IOException {
        Files.createDirectories(topicDir);
        StringBuilder text = new StringBuilder("# Sluice topic settings; edit through the hub, not by hand\n");
        new TreeMap<>(config.toMap())
                .forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path tmp = topicDir.resolve(FILE + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, topicDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads the settings; throws {@link InvalidConfigException} naming the file when they are damaged. */
    static TopicConfig read(Path topicDir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(topicDir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> values = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        return TopicConfig.parse(values);
    }

    static boolean exists(Path topicDir) {
        return Files.isRegularFile(topicDir.resolve(FILE));
    }
}
