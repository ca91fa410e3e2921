package io.sluice.worker;

import io.sluice.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table of realistic width for CDC tests: {@code wide(id, version, payload)} with a payload of
 * {@value #PAYLOAD_CHARS} characters, preloaded with rows for Debezium's snapshot, then changed by a
 * writer thread (inserts of new rows and updates of preloaded ones, one transaction each) that
 * remembers every change it committed. A sink writing each record's value as a line (the
 * {@link io.sluice.worker.testconnectors.FileLineSinkConnector}) after {@link #sinkTransforms()}
 * writes lines such as {@code Struct{id=7,version=2,__op=u}}, which {@link #parse} reads back.
 *
 * <p>The writer runs on its own thread; {@link #committed()} and {@link #failure()} may be read from any.
 */
final class WideTable implements AutoCloseable {

    static final String TABLE = "wide";
    static final int PAYLOAD_CHARS = 2048;
    private static final Pattern LINE = Pattern.compile("Struct\\{id=(\\d+),version=(\\d+),__op=(\\w)}");

    /** One change as the sink's line shows it. */
    record Change(long id, int version, String op) {}

    private final TestDatabase db;
    private final long preloaded;
    private final Set<Change> committed = ConcurrentHashMap.newKeySet();
    private final AtomicLong changes = new AtomicLong();
    private final Map<Long, Integer> versions = new ConcurrentHashMap<>();
    private final AtomicLong nextId;
    private volatile Thread writer;
    private volatile boolean writing;
    private volatile Exception failure;

    private WideTable(TestDatabase db, long preloaded) {
        this.db = db;
        this.preloaded = preloaded;
        this.nextId = new AtomicLong(preloaded + 1);
    }

    /** Creates the table with {@code rows} rows of {@value #PAYLOAD_CHARS}-character payloads. */
    static WideTable preload(TestDatabase db, long rows) throws SQLException {
        try (Connection c = db.openConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, version int NOT NULL, payload text)");
            // md5 text does not compress away: the records are as wide on the wire as in the table
            s.execute("INSERT INTO " + TABLE + " SELECT g, 0, repeat(md5(g::text), " + PAYLOAD_CHARS / 32
                    + ") FROM generate_series(1, " + rows + ") g");
        }
        return new WideTable(db, rows);
    }

    long preloaded() {
        return preloaded;
    }

    /** Starts changing the table at about {@code perSecond} changes a second, half inserts, half updates. */
    void startWriting(int perSecond) {
        writing = true;
        Thread t = new Thread(() -> write(perSecond), "wide-table-writer");
        t.setDaemon(true);
        writer = t;
        t.start();
    }

    /** Stops the writer and waits for it; every change it reports committed is in {@link #committed()}. */
    void stopWriting() throws InterruptedException {
        writing = false;
        Thread t = writer;
        if (t != null) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private void write(int perSecond) {
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        Random random = new Random();
        String payload = "y".repeat(PAYLOAD_CHARS);
        try (Connection c = db.openConnection();
                PreparedStatement insert =
                        c.prepareStatement("INSERT INTO " + TABLE + " (id, version, payload) VALUES (?, 0, ?)");
                PreparedStatement update =
                        c.prepareStatement("UPDATE " + TABLE + " SET version = ?, payload = ? WHERE id = ?")) {
            long next = System.nanoTime();
            while (writing) {
                if (changes.get() % 2 == 0) {
                    long id = nextId.getAndIncrement();
                    insert.setLong(1, id);
                    insert.setString(2, payload);
                    insert.executeUpdate();
                    committed.add(new Change(id, 0, "c"));
                } else {
                    long id = 1 + random.nextLong(preloaded);
                    int version = versions.merge(id, 1, Integer::sum);
                    update.setInt(1, version);
                    update.setString(2, payload);
                    update.setLong(3, id);
                    update.executeUpdate();
                    committed.add(new Change(id, version, "u"));
                }
                changes.incrementAndGet();
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every change the writers committed (snapshot rows not included). */
    Set<Change> committed() {
        return Set.copyOf(committed);
    }

    long changes() {
        return changes.get();
    }

    Exception failure() {
        return failure;
    }

    /**
     * Transforms for the sink: Debezium's envelope flattened to the row with its {@code op}, then only
     * {@code id}, {@code version} and {@code __op} kept, so lines are short while records are wide.
     */
    static Map<String, String> sinkTransforms() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("transforms", "unwrap,keep");
        c.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
        c.put("transforms.unwrap.add.fields", "op");
        c.put("transforms.keep.type", "org.apache.kafka.connect.transforms.ReplaceField$Value");
        c.put("transforms.keep.include", "id,version,__op");
        return c;
    }

    /** The sink's complete lines, parsed; a line that is not a change fails the test. */
    static List<Change> parse(Path file) throws IOException {
        List<Change> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        // a line the sink is writing now (or was, when its worker was killed) is not a line yet
        text = text.substring(0, text.lastIndexOf('\n') + 1);
        for (String line : text.lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a change line: " + line);
            }
            out.add(new Change(Long.parseLong(m.group(1)), Integer.parseInt(m.group(2)), m.group(3)));
        }
        return out;
    }

    /** Lines in {@code file}, counted without parsing. */
    static long lineCount(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long n = 0;
        for (byte b : Files.readAllBytes(file)) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() throws InterruptedException {
        stopWriting();
    }
}
