package io.sluice.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.S3Fixture;
import io.sluice.worker.ShopWorkload.Change;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3 sink's bucket as the CDC cluster test reads it: JSON-lines objects named {@code
 * topics/<topic>/partition=<p>/<topic>+<p>+<start offset>.json}, each line a row flattened by
 * Debezium's {@code ExtractNewRecordState} ({@code __op}, {@code __deleted}) with the log
 * coordinates Kafka's {@code InsertField} added ({@code __partition}, {@code __offset}).
 *
 * <p>{@link #read()} lists the bucket and fetches only objects it has not read before (for polling);
 * {@link #readFresh()} fetches every object again. Not thread-safe.
 */
final class CdcLake {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME =
            Pattern.compile("^topics/([^/]+)/partition=(\\d+)/([^/+]+)\\+(\\d+)\\+(\\d{10})\\.json$");

    /** One row of an object: where it came from in the log, and the change it shows. */
    record Row(String topic, int partition, long offset, Change change) {}

    /** One object: its key, topic partition, the start offset in its name, and its rows in order. */
    record LakeObject(String key, String topic, int partition, long start, List<Row> rows) {}

    private final S3Fixture s3;
    private final String bucket;
    private final Map<String, LakeObject> read = new HashMap<>();

    CdcLake(S3Fixture s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** Every object, sorted by topic, partition and start offset; objects seen before are not fetched again. */
    List<LakeObject> read() {
        for (String key : s3.keys(bucket)) {
            read.computeIfAbsent(key, this::fetch);
        }
        return sorted(new ArrayList<>(read.values()));
    }

    /** Every object fetched now. */
    List<LakeObject> readFresh() {
        read.clear();
        return read();
    }

    /** The rows of {@code objects} in order: per topic partition by offset. */
    static List<Row> rows(List<LakeObject> objects) {
        List<Row> rows = new ArrayList<>();
        objects.forEach(o -> rows.addAll(o.rows()));
        return rows;
    }

    /** The change a captured topic's record (Debezium's JSON envelope with schema) shows. */
    static Change change(String topic, String debeziumJson) {
        JsonNode payload = parse(debeziumJson).path("payload");
        String op = payload.path("op").asText();
        JsonNode row = op.equals("d") ? payload.path("before") : payload.path("after");
        return new Change(
                table(topic), op, row.path("id").asInt(), row.path("version").asInt());
    }

    /** {@code orders} for {@code shop.public.orders}. */
    static String table(String topic) {
        return topic.substring(topic.lastIndexOf('.') + 1);
    }

    private LakeObject fetch(String key) {
        Matcher m = NAME.matcher(key);
        if (!m.matches() || !m.group(1).equals(m.group(3)) || !m.group(2).equals(m.group(4))) {
            throw new AssertionError("object name " + key + " is not <topic>/partition=<p>/<topic>+<p>+<offset>.json");
        }
        String topic = m.group(1);
        int partition = Integer.parseInt(m.group(2));
        String text =
                s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
        List<Row> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode row = parse(line);
            String op = row.path("__op").asText();
            if (!row.path("__deleted").asText().equals(op.equals("d") ? "true" : "false")) {
                throw new AssertionError("row " + line + " of " + key + ": __deleted does not match __op");
            }
            rows.add(new Row(
                    topic,
                    row.path("__partition").asInt(-1),
                    row.path("__offset").asLong(-1),
                    new Change(
                            table(topic),
                            op,
                            row.path("id").asInt(),
                            row.path("version").asInt())));
        }
        return new LakeObject(key, topic, partition, Long.parseLong(m.group(5)), List.copyOf(rows));
    }

    private static List<LakeObject> sorted(List<LakeObject> objects) {
        objects.sort(Comparator.comparing(LakeObject::topic)
                .thenComparingInt(LakeObject::partition)
                .thenComparingLong(LakeObject::start));
        return objects;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
