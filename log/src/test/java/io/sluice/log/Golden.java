package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;

/** Golden files (hex text) for on-disk formats. {@code -Dgolden.update=true} rewrites them. */
public final class Golden {

    static final Path DIR = Paths.get("src/test/resources/golden");
    static final boolean UPDATE = Boolean.getBoolean("golden.update");

    private Golden() {}

    /** Asserts {@code actual} equals the golden file byte for byte. */
    public static void assertBytes(String name, ByteBuffer actual) throws IOException {
        if (UPDATE) {
            write(name, actual);
        }
        if (!Files.exists(DIR.resolve(name))) {
            fail("golden file %s is missing; generate it with -Dgolden.update=true and review it", name);
        }
        assertThat(hex(actual))
                .as("bytes of %s", name)
                .isEqualTo(Files.readString(DIR.resolve(name)).strip());
    }

    /**
     * Asserts that a text file (a properties file the log writes) equals the golden file, leaving out
     * comment lines (the date {@link java.util.Properties#store} writes).
     */
    public static void assertText(String name, String actual) throws IOException {
        String content = withoutComments(actual);
        if (UPDATE) {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(name), content);
        }
        if (!Files.exists(DIR.resolve(name))) {
            fail("golden file %s is missing; generate it with -Dgolden.update=true and review it", name);
        }
        assertThat(content).as("text of %s", name).isEqualTo(Files.readString(DIR.resolve(name)));
    }

    /** The path of a golden file, to copy into a test's directory and read back. */
    public static Path file(String name) {
        return DIR.resolve(name);
    }

    private static String withoutComments(String text) {
        StringBuilder out = new StringBuilder();
        text.lines().filter(l -> !l.startsWith("#")).forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    public static ByteBuffer read(String name) throws IOException {
        String text = Files.readString(DIR.resolve(name)).replaceAll("\\s", "");
        return ByteBuffer.wrap(HexFormat.of().parseHex(text));
    }

    static void write(String name, ByteBuffer bytes) throws IOException {
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve(name), hex(bytes) + "\n");
    }

    private static String hex(ByteBuffer bytes) {
        ByteBuffer b = bytes.duplicate();
        byte[] arr = new byte[b.remaining()];
        b.get(arr);
        return HexFormat.of().formatHex(arr);
    }
}
