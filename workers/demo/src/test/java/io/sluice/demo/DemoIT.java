package io.sluice.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The demo as a newcomer runs it, {@code java -jar sluice-demo.jar}: within a short run the bucket
 * fills with objects holding exactly the changes the workload made in PostgreSQL (read back through
 * the S3 API and compared, per table and in commit order, with the workload's journal: the snapshot
 * rows, then every insert, update and delete once); the connectors the hub runs are the JSON it
 * printed; and SIGTERM (what Ctrl-C does) stops the hub, PostgreSQL and the S3 server and removes the
 * demo's files.
 */
class DemoIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OBJECT =
            Pattern.compile("^topics/shop\\.public\\.(\\w+)/partition=0/.*\\+(\\d{10})\\.json$");

    /** One change as the journal records it and as the lake must hold it. */
    record Change(String op, int id, int version) {}

    @Test
    void shouldFillTheBucketWithTheWorkloadsChangesAndCleanUpOnSigterm() throws Exception {
        Path console = Path.of("target", "DemoIT-console.txt").toAbsolutePath();
        try (DemoRun demo = DemoRun.start(
                console, "--port=0", "--rate=50", "--worker-jar=" + System.getProperty("sluice.worker.jar"))) {
            await().atMost(Duration.ofSeconds(180))
                    .failFast(
                            "the demo exited; see " + console,
                            () -> !demo.process().isAlive())
                    .until(() -> demo.printed("the workload is changing rows"));
            Path folder =
                    Path.of(demo.find(Pattern.compile("files in (/\\S+)$")).orElseThrow());
            String api = demo.find(Pattern.compile("REST API\\s+(http://127\\.0\\.0\\.1:\\d+)"))
                    .orElseThrow();
            Matcher pg = Pattern.compile("PostgreSQL\\s+(\\S+)\\s+user (\\S+) password (\\S+)")
                    .matcher(line(demo, "PostgreSQL "));
            assertThat(pg.find()).isTrue();
            Matcher s3 = Pattern.compile("S3\\s+(\\S+)\\s+bucket (\\S+)\\s+access key (\\S+) secret (\\S+)")
                    .matcher(line(demo, "S3 "));
            assertThat(s3.find()).isTrue();
            assertThat(folder).isDirectory();
            assertThat(demo.printed(api + "/ui")).as("prints the UI's address").isTrue();

            assertRunsWhatItPrinted(demo, api);
            HttpResponse<String> ui = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create(api + "/ui")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(ui.statusCode()).as("the web UI at the printed address").isEqualTo(200);
            assertThat(ui.body()).contains("<html");

            try (S3Client client = client(s3.group(1), s3.group(3), s3.group(4))) {
                String bucket = s3.group(2);
                await().atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .failFast(
                                "the demo exited; see " + console,
                                () -> !demo.process().isAlive())
                        .until(() -> objectsPerTable(client, bucket).getOrDefault("customers", 0) >= 1
                                && objectsPerTable(client, bucket).getOrDefault("orders", 0) >= 3);
                Map<String, List<Change>> lake = lake(client, bucket);
                Map<String, List<Change>> journal = journal(pg.group(1), pg.group(2), pg.group(3));
                for (String table : List.of("customers", "orders")) {
                    assertLakeHoldsTheJournalsFirstChanges(table, lake.get(table), journal.get(table));
                }
            }

            List<ProcessHandle> children = demo.process().descendants().toList();
            assertThat(children)
                    .as("the hub and PostgreSQL run as child processes")
                    .isNotEmpty();
            // SIGTERM (Ctrl-C's SIGINT runs the same shutdown); through the handle, as Process.destroy()
            // would also close our end of the demo's output
            demo.process().toHandle().destroy();
            assertThat(demo.awaitExit(90, TimeUnit.SECONDS))
                    .as("the demo exits after SIGTERM")
                    .isTrue();
            assertThat(demo.printed("== stopped; removed " + folder))
                    .as(
                            "the demo says it cleaned up (exit status %d)",
                            demo.process().exitValue())
                    .isTrue();
            assertThat(folder)
                    .as("the demo's files (hub log, bucket files, logs)")
                    .doesNotExist();
            assertThat(postgresRunDirectories(demo.process().pid()))
                    .as("PostgreSQL's data")
                    .isEmpty();
            for (ProcessHandle child : children) {
                assertThat(child.isAlive())
                        .as("child process %s is gone", child.pid())
                        .isFalse();
            }
            for (String endpoint : List.of(api, s3.group(1), "http://" + hostPort(pg.group(1)))) {
                assertThat(listening(URI.create(endpoint)))
                        .as("%s no longer listens", endpoint)
                        .isFalse();
            }
        }
    }

    /** The configs the hub runs are the JSON the demo printed (secrets hidden by the REST API). */
    private static void assertRunsWhatItPrinted(DemoRun demo, String api) throws Exception {
        List<String> posted = demo.postedJson();
        assertThat(posted).hasSize(2);
        HttpClient http = HttpClient.newHttpClient();
        for (String body : posted) {
            JsonNode printed = JSON.readTree(body);
            String name = printed.get("name").asText();
            JsonNode running = JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create(api + "/connectors/" + name + "/config"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            for (Map.Entry<String, JsonNode> e : printed.get("config").properties()) {
                String actual = running.path(e.getKey()).asText();
                if (e.getKey().endsWith("password") || e.getKey().endsWith("secret.access.key")) {
                    assertThat(actual).as("%s.%s", name, e.getKey()).isEqualTo("[hidden]");
                } else {
                    assertThat(actual)
                            .as("%s.%s", name, e.getKey())
                            .isEqualTo(e.getValue().asText());
                }
            }
        }
    }

    /**
     * The lake holds, for the table, a prefix of what the journal says happened: the snapshot rows
     * (in any order), then each change once and in commit order.
     */
    private static void assertLakeHoldsTheJournalsFirstChanges(String table, List<Change> lake, List<Change> journal) {
        assertThat(lake).as("%s rows in the lake", table).isNotEmpty();
        assertThat(journal.size()).as("%s changes in the journal", table).isGreaterThanOrEqualTo(lake.size());
        int snapshot = (int) journal.stream().filter(c -> c.op().equals("r")).count();
        assertThat(lake.size())
                .as("%s: more than the snapshot reached the lake", table)
                .isGreaterThan(snapshot);
        assertThat(lake.subList(0, snapshot))
                .as("%s: the snapshot rows come first", table)
                .containsExactlyInAnyOrderElementsOf(journal.subList(0, snapshot));
        assertThat(lake.subList(snapshot, lake.size()))
                .as("%s: then every change, once, in commit order", table)
                .containsExactlyElementsOf(journal.subList(snapshot, lake.size()));
    }

    private static Map<String, Integer> objectsPerTable(S3Client client, String bucket) {
        Map<String, Integer> counts = new HashMap<>();
        for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            Matcher m = OBJECT.matcher(o.key());
            if (m.matches()) {
                counts.merge(m.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Every row of every object, per table, objects in offset order. */
    private static Map<String, List<Change>> lake(S3Client client, String bucket) throws IOException {
        Map<String, TreeMap<Long, String>> objects = new HashMap<>();
        for (S3Object o : client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            Matcher m = OBJECT.matcher(o.key());
            assertThat(m.matches()).as("object name %s", o.key()).isTrue();
            objects.computeIfAbsent(m.group(1), t -> new TreeMap<>()).put(Long.parseLong(m.group(2)), o.key());
        }
        Map<String, List<Change>> rows = new HashMap<>();
        for (Map.Entry<String, TreeMap<Long, String>> table : objects.entrySet()) {
            List<Change> changes = new ArrayList<>();
            for (String key : table.getValue().values()) {
                String text =
                        client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    JsonNode row = JSON.readTree(line);
                    String op = row.path("__op").asText();
                    assertThat(row.path("__deleted").asText())
                            .as("row %s", line)
                            .isEqualTo(op.equals("d") ? "true" : "false");
                    assertThat(row.has("updated_at"))
                            .as("row %s has its columns", line)
                            .isTrue();
                    changes.add(new Change(
                            op, row.path("id").asInt(), row.path("version").asInt()));
                }
            }
            rows.put(table.getKey(), changes);
        }
        return rows;
    }

    private static Map<String, List<Change>> journal(String url, String user, String password) throws Exception {
        Map<String, List<Change>> journal = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT table_name, op, row_id, version FROM demo_journal ORDER BY seq")) {
            while (rs.next()) {
                journal.computeIfAbsent(rs.getString(1), t -> new ArrayList<>())
                        .add(new Change(rs.getString(2), rs.getInt(3), rs.getInt(4)));
            }
        }
        return journal;
    }

    private static S3Client client(String endpoint, String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    private static String line(DemoRun demo, String containing) {
        return demo.lines().stream()
                .filter(l -> l.trim().startsWith(containing.trim()) && l.contains(containing))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + containing + "' in the demo's output"));
    }

    /** {@code 127.0.0.1:5432} from {@code jdbc:postgresql://127.0.0.1:5432/shop}. */
    private static String hostPort(String jdbcUrl) {
        return jdbcUrl.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
    }

    private static boolean listening(URI endpoint) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Run directories of the PostgreSQL the demo with this pid started (named run-<pid>-...). */
    private static List<Path> postgresRunDirectories(long demoPid) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path base : List.of(
                Path.of(System.getProperty("java.io.tmpdir"), "sluice-postgres-" + System.getProperty("user.name")),
                Path.of("/tmp", "sluice-postgres-" + System.getProperty("user.name")))) {
            if (Files.isDirectory(base)) {
                try (Stream<Path> runs = Files.list(base)) {
                    runs.filter(p -> p.getFileName().toString().startsWith("run-" + demoPid + "-"))
                            .forEach(found::add);
                }
            }
        }
        return found;
    }
}
