package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Golden files for what the worker persists (metadata entries and snapshots, values of the shared
 * compacted topics), under {@code src/test/resources/golden/}. JSON values are kept as the exact bytes
 * written (one line, plus a newline); binary ones as hex. A missing or different file fails the test:
 * files are written only when asked with {@code -Dgolden.update=true}, and the diff is then reviewed.
 */
public final class GoldenFiles {

    private static final Path DIR = Paths.get("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenFiles() {}

    /** Asserts that {@code actual} (UTF-8 text, e.g. JSON) is byte for byte the golden file {@code name}. */
    public static void assertText(String name, byte[] actual) {
        String text = new String(actual, StandardCharsets.UTF_8);
        if (UPDATE) {
            write(name, text + "\n");
        }
        assertThat(text).as("bytes of golden file %s", name).isEqualTo(readText(name));
    }

    /**
     * Asserts that {@code actual} is the same JSON document as the golden file {@code name}, whatever the
     * order of object fields (for values written from hash maps, whose order is not part of the format).
     */
    public static void assertSameJson(String name, byte[] actual) {
        if (UPDATE) {
            write(name, new String(actual, StandardCharsets.UTF_8) + "\n");
        }
        try {
            JsonNode expected = JSON.readTree(readText(name));
            assertThat(JSON.readTree(actual)).as("JSON of golden file %s", name).isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that {@code actual} is byte for byte the golden hex file {@code name}. */
    public static void assertHex(String name, byte[] actual) {
        String hex = HexFormat.of().formatHex(actual);
        if (UPDATE) {
            write(name, hex + "\n");
        }
        assertThat(hex).as("bytes of golden file %s", name).isEqualTo(readText(name));
    }

    /**
     * Asserts that the entries of a compacted topic (key and value bytes, as a store wrote them) are
     * those of the golden file {@code name}: a JSON object of key to value as UTF-8 text (every value
     * the worker stores is text), sorted by key.
     */
    public static void assertEntries(String name, Map<String, byte[]> entries) {
        Map<String, String> sorted = new TreeMap<>();
        entries.forEach((k, v) -> sorted.put(k, v == null ? null : new String(v, StandardCharsets.UTF_8)));
        try {
            String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(sorted);
            if (UPDATE) {
                write(name, text + "\n");
            }
            assertThat(text).as("entries of golden file %s", name).isEqualTo(readText(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of the golden file {@code name} (see {@link #assertEntries}), to load into a fresh store. */
    public static Map<String, byte[]> entries(String name) {
        try {
            Map<String, String> text =
                    JSON.readValue(readText(name), new TypeReference<LinkedHashMap<String, String>>() {});
            Map<String, byte[]> out = new LinkedHashMap<>();
            text.forEach((k, v) -> out.put(k, v == null ? null : v.getBytes(StandardCharsets.UTF_8)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of the golden text file {@code name} (without its final newline), to decode. */
    public static byte[] text(String name) {
        return readText(name).getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes of the golden hex file {@code name}, to decode. */
    public static byte[] hex(String name) {
        return HexFormat.of().parseHex(readText(name).replaceAll("\\s", ""));
    }

    private static String readText(String name) {
        Path file = DIR.resolve(name);
        if (!Files.exists(file)) {
            fail("golden file %s is missing; generate it with -Dgolden.update=true and review it", file);
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String name, String content) {
        try {
            Path file = DIR.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
