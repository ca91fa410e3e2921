package io.sluice.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * README.md stays true to the demo: its quick start runs the demo jar, and the two connector configs
 * under "Use it with your own Postgres and S3" are the ones the demo registers, setting for setting,
 * except the values that say where the user's database and bucket are ({@link
 * DemoPipeline#ENVIRONMENT_KEYS}), which both must set.
 */
class ReadmeConfigsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECTION = "## Use it with your own Postgres and S3";

    private static final DemoPipeline.Database DB = new DemoPipeline.Database("h", 1, "d", "u", "p");
    private static final DemoPipeline.Bucket BUCKET = new DemoPipeline.Bucket("e", "b", "r", "a", "s");

    @Test
    void shouldStartTheQuickStartWithTheDemoAndKeepTheTestCommand() throws IOException {
        String readme = readme();
        int quickStart = readme.indexOf("## Quick start");
        assertThat(quickStart).as("README has a Quick start").isNotNegative();
        String firstCommand = firstCodeBlock(readme.substring(quickStart));
        assertThat(firstCommand).contains("java -jar workers/demo/target/sluice-demo.jar");
        assertThat(readme.indexOf(SECTION))
                .as("the own-Postgres section follows the quick start")
                .isGreaterThan(quickStart);
        assertThat(readme.indexOf("./mvnw verify\n", readme.indexOf(SECTION)))
                .as("then the test command")
                .isPositive();
    }

    @Test
    void shouldShowTheConnectorConfigsTheDemoRegisters() throws IOException {
        List<JsonNode> blocks = jsonBlocks(section(readme()));
        assertThat(blocks).as("JSON blocks under '%s'", SECTION).hasSize(2);
        assertSameApartFromEnvironment(blocks.get(0), DemoPipeline.SOURCE, DemoPipeline.cdcSource(DB));
        assertSameApartFromEnvironment(blocks.get(1), DemoPipeline.SINK, DemoPipeline.lakeSink(BUCKET));
    }

    private static void assertSameApartFromEnvironment(JsonNode readme, String name, Map<String, String> demo) {
        assertThat(readme.path("name").asText()).isEqualTo(name);
        Map<String, String> shown = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : readme.path("config").properties()) {
            shown.put(e.getKey(), e.getValue().asText());
        }
        assertThat(shown.keySet())
                .as("settings of %s in README.md and in the demo (DemoPipeline)", name)
                .containsExactlyInAnyOrderElementsOf(demo.keySet());
        demo.forEach((key, value) -> {
            if (!DemoPipeline.ENVIRONMENT_KEYS.contains(key)) {
                assertThat(shown.get(key))
                        .as("%s: %s in README.md is what the demo sends", name, key)
                        .isEqualTo(value);
            }
        });
    }

    private static String readme() throws IOException {
        return Files.readString(Path.of(System.getProperty("sluice.readme", "../../README.md")));
    }

    private static String section(String readme) {
        int start = readme.indexOf(SECTION);
        assertThat(start).as("README.md has a section '%s'", SECTION).isNotNegative();
        int end = readme.indexOf("\n## ", start + SECTION.length());
        return end < 0 ? readme.substring(start) : readme.substring(start, end);
    }

    private static String firstCodeBlock(String text) {
        int start = text.indexOf("```bash\n");
        assertThat(start).isNotNegative();
        return text.substring(start + 8, text.indexOf("```", start + 8));
    }

    private static List<JsonNode> jsonBlocks(String text) throws IOException {
        List<JsonNode> blocks = new ArrayList<>();
        for (int start = text.indexOf("```json\n"); start >= 0; start = text.indexOf("```json\n", start + 1)) {
            int end = text.indexOf("```", start + 8);
            blocks.add(JSON.readTree(text.substring(start + 8, end)));
        }
        return blocks;
    }
}
