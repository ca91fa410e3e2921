package io.sluice.connect.elasticsearch;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The Elasticsearch sink's settings, declared once as a {@link ConfigDef} and read back typed.
 * Names are Confluent's Elasticsearch sink names, so existing connector JSON works. Checks between
 * settings live in {@link #check()}. Immutable; never logs values (the password stays hidden).
 */
public final class ElasticsearchSinkConfig extends AbstractConfig {

    public static final String CONNECTION_URL = "connection.url";
    public static final String CONNECTION_USERNAME = "connection.username";
    public static final String CONNECTION_PASSWORD = "connection.password";
    public static final String CONNECTION_TIMEOUT_MS = "connection.timeout.ms";
    public static final String READ_TIMEOUT_MS = "read.timeout.ms";

    public static final String KEY_IGNORE = "key.ignore";
    public static final String SCHEMA_IGNORE = "schema.ignore";
    public static final String WRITE_METHOD = "write.method";
    public static final String NULL_VALUES = "behavior.on.null.values";
    public static final String MALFORMED_DOCUMENTS = "behavior.on.malformed.documents";
    public static final String TOPIC_INDEX_MAP = "topic.index.map";

    public static final String BATCH_SIZE = "batch.size";
    public static final String LINGER_MS = "linger.ms";
    public static final String MAX_IN_FLIGHT_REQUESTS = "max.in.flight.requests";
    public static final String MAX_BUFFERED_RECORDS = "max.buffered.records";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String FLUSH_TIMEOUT_MS = "flush.timeout.ms";

    private static final String GROUP_CONNECTION = "Connector";
    private static final String GROUP_DATA = "Data Conversion";
    private static final String GROUP_WRITES = "Writes";

    public static final ConfigDef CONFIG_DEF = define();

    /** What a record becomes in the index. */
    public enum WriteMethod {
        INSERT,
        UPSERT
    }

    /** What a record with a null value (a tombstone) does. */
    public enum NullValueBehavior {
        IGNORE,
        DELETE,
        FAIL
    }

    /** What a document the cluster rejects as malformed does. */
    public enum MalformedBehavior {
        FAIL,
        WARN,
        IGNORE
    }

    public ElasticsearchSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false);
    }

    private static ConfigDef define() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(
                        CONNECTION_URL,
                        Type.LIST,
                        ConfigDef.NO_DEFAULT_VALUE,
                        (name, value) -> {
                            if (value == null || ((List<?>) value).isEmpty()) {
                                throw new ConfigException(name, value, "at least one URL is required");
                            }
                        },
                        Importance.HIGH,
                        "Comma-separated URLs of the cluster's nodes, e.g. https://es1:9200,https://es2:9200."
                                + " Requests are spread over them and a failing node is skipped until it recovers.",
                        GROUP_CONNECTION,
                        ++order,
                        Width.LONG,
                        "Connection URLs")
                .define(
                        CONNECTION_USERNAME,
                        Type.STRING,
                        null,
                        Importance.MEDIUM,
                        "User for HTTP basic authentication. Empty: no authentication.",
                        GROUP_CONNECTION,
                        ++order,
                        Width.SHORT,
                        "Username")
                .define(
                        CONNECTION_PASSWORD,
                        Type.PASSWORD,
                        null,
                        Importance.MEDIUM,
                        "Password for HTTP basic authentication, with connection.username.",
                        GROUP_CONNECTION,
                        ++order,
                        Width.SHORT,
                        "Password")
                .define(
                        CONNECTION_TIMEOUT_MS,
                        Type.INT,
                        1000,
                        Range.atLeast(0),
                        Importance.LOW,
                        "How long to wait for a TCP connection to a node, in milliseconds.",
                        GROUP_CONNECTION,
                        ++order,
                        Width.SHORT,
                        "Connection timeout")
                .define(
                        READ_TIMEOUT_MS,
                        Type.INT,
                        3000,
                        Range.atLeast(0),
                        Importance.LOW,
                        "How long to wait for a response once connected, in milliseconds.",
                        GROUP_CONNECTION,
                        ++order,
                        Width.SHORT,
                        "Read timeout");
        order = 0;
        def.define(
                        KEY_IGNORE,
                        Type.BOOLEAN,
                        false,
                        Importance.HIGH,
                        "false: the record key is the document id, so a newer record replaces the document."
                                + " true: the id is topic+partition+offset, so a replay rewrites the same documents.",
                        GROUP_DATA,
                        ++order,
                        Width.SHORT,
                        "Ignore key")
                .define(
                        SCHEMA_IGNORE,
                        Type.BOOLEAN,
                        false,
                        Importance.LOW,
                        "false: a new index gets a mapping built from the value's Connect schema. true: the"
                                + " cluster maps fields dynamically (needed for schemaless JSON).",
                        GROUP_DATA,
                        ++order,
                        Width.SHORT,
                        "Ignore schema")
                .define(
                        WRITE_METHOD,
                        Type.STRING,
                        "insert",
                        ValidString.in("insert", "upsert", "INSERT", "UPSERT"),
                        Importance.LOW,
                        "insert: each record replaces the whole document. upsert: each record's fields are"
                                + " merged into the document, creating it when missing.",
                        GROUP_DATA,
                        ++order,
                        Width.SHORT,
                        "Write method")
                .define(
                        NULL_VALUES,
                        Type.STRING,
                        "delete",
                        ValidString.in("ignore", "delete", "fail", "IGNORE", "DELETE", "FAIL"),
                        Importance.LOW,
                        "A record with a null value (tombstone): delete the document with the key's id,"
                                + " ignore it, or fail the task. With key.ignore=true tombstones are ignored.",
                        GROUP_DATA,
                        ++order,
                        Width.SHORT,
                        "Behavior on null values")
                .define(
                        MALFORMED_DOCUMENTS,
                        Type.STRING,
                        "fail",
                        ValidString.in("fail", "warn", "ignore", "FAIL", "WARN", "IGNORE"),
                        Importance.LOW,
                        "A document the cluster rejects (e.g. a string into a long field): fail the task, or"
                                + " skip it (warn logs it). Skipped records go to the dead-letter queue when one is"
                                + " configured.",
                        GROUP_DATA,
                        ++order,
                        Width.SHORT,
                        "Behavior on malformed documents")
                .define(
                        TOPIC_INDEX_MAP,
                        Type.LIST,
                        "",
                        Importance.LOW,
                        "topic:index pairs, comma-separated. Other topics go to the topic name lower-cased.",
                        GROUP_DATA,
                        ++order,
                        Width.LONG,
                        "Topic to index map");
        order = 0;
        def.define(
                        BATCH_SIZE,
                        Type.INT,
                        2000,
                        Range.between(1, 1_000_000),
                        Importance.MEDIUM,
                        "Most records in one bulk request.",
                        GROUP_WRITES,
                        ++order,
                        Width.SHORT,
                        "Batch size")
                .define(
                        LINGER_MS,
                        Type.LONG,
                        1L,
                        Range.between(0, 7 * 24 * 3600 * 1000L),
                        Importance.LOW,
                        "How long a partly full batch waits for more records before it is sent.",
                        GROUP_WRITES,
                        ++order,
                        Width.SHORT,
                        "Linger")
                .define(
                        MAX_IN_FLIGHT_REQUESTS,
                        Type.INT,
                        5,
                        Range.between(1, 1000),
                        Importance.MEDIUM,
                        "Most bulk requests outstanding at once per task.",
                        GROUP_WRITES,
                        ++order,
                        Width.SHORT,
                        "Max in-flight requests")
                .define(
                        MAX_BUFFERED_RECORDS,
                        Type.INT,
                        20000,
                        Range.between(1, Integer.MAX_VALUE),
                        Importance.LOW,
                        "Records the task holds before the cluster acknowledges them. At this limit the task"
                                + " pauses its partitions until the cluster catches up.",
                        GROUP_WRITES,
                        ++order,
                        Width.SHORT,
                        "Max buffered records")
                .define(
                        MAX_RETRIES,
                        Type.INT,
                        5,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Retries of a bulk request (or of its items) refused with 429, a 5xx status or a"
                                + " connection error, before the task fails.",
                        GROUP_WRITES,
                        ++order,
                        Width.SHORT,
                        "Max retries")
                .define(
                        RETRY_BACKOFF_MS,
                        Type.LONG,
                        100L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Wait before the first retry; each further retry waits up to twice as long (with"
                                + " jitter), at most retry.backoff.max.ms.",
                        GROUP_WRITES,
                        ++order,
                        Width.SHORT,
                        "Retry backoff")
                .define(
                        RETRY_BACKOFF_MAX_MS,
                        Type.LONG,
                        10_000L,
                        Range.atLeast(0),
                        Importance.LOW,
                        "Longest wait between two retries.",
                        GROUP_WRITES,
                        ++order,
                        Width.SHORT,
                        "Max retry backoff")
                .define(
                        FLUSH_TIMEOUT_MS,
                        Type.LONG,
                        180_000L,
                        Range.atLeast(1),
                        Importance.LOW,
                        "How long stop() waits for buffered records to be acknowledged.",
                        GROUP_WRITES,
                        ++order,
                        Width.SHORT,
                        "Flush timeout");
        return def;
    }

    /** Errors between or inside settings that validators cannot see, by field, in order. */
    public Map<String, List<String>> check() {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (String url : connectionUrls()) {
            try {
                URI uri = URI.create(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    add(errors, CONNECTION_URL, "'" + url + "' is not an http(s)://host:port URL");
                }
            } catch (IllegalArgumentException e) {
                add(errors, CONNECTION_URL, "'" + url + "' is not a URL");
            }
        }
        boolean user = username() != null;
        boolean password = password() != null;
        if (password && !user) {
            add(errors, CONNECTION_USERNAME, "is required when " + CONNECTION_PASSWORD + " is set");
        }
        if (user && !password) {
            add(errors, CONNECTION_PASSWORD, "is required when " + CONNECTION_USERNAME + " is set");
        }
        for (String pair : getList(TOPIC_INDEX_MAP)) {
            int colon = pair.lastIndexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                add(errors, TOPIC_INDEX_MAP, "'" + pair + "' is not topic:index");
            } else {
                String problem = IndexNames.problem(pair.substring(colon + 1));
                if (problem != null) {
                    add(errors, TOPIC_INDEX_MAP, problem);
                }
            }
        }
        if (getLong(RETRY_BACKOFF_MAX_MS) < getLong(RETRY_BACKOFF_MS)) {
            add(errors, RETRY_BACKOFF_MAX_MS, "must be at least " + RETRY_BACKOFF_MS);
        }
        return errors;
    }

    /** Parses and checks, throwing one exception naming every invalid field. */
    public static ElasticsearchSinkConfig parse(Map<String, String> props) {
        ElasticsearchSinkConfig config = new ElasticsearchSinkConfig(props);
        Map<String, List<String>> errors = config.check();
        if (!errors.isEmpty()) {
            List<String> lines = new ArrayList<>();
            errors.forEach((field, messages) -> messages.forEach(m -> lines.add(field + ": " + m)));
            throw new ConfigException("Invalid Elasticsearch sink configuration: " + String.join("; ", lines));
        }
        return config;
    }

    private static void add(Map<String, List<String>> errors, String field, String message) {
        errors.computeIfAbsent(field, f -> new ArrayList<>()).add(message);
    }

    public List<String> connectionUrls() {
        return getList(CONNECTION_URL).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    public String username() {
        String user = getString(CONNECTION_USERNAME);
        return user == null || user.isBlank() ? null : user;
    }

    public Password password() {
        Password password = getPassword(CONNECTION_PASSWORD);
        return password == null || password.value().isEmpty() ? null : password;
    }

    public int connectionTimeoutMs() {
        return getInt(CONNECTION_TIMEOUT_MS);
    }

    public int readTimeoutMs() {
        return getInt(READ_TIMEOUT_MS);
    }

    public boolean keyIgnore() {
        return getBoolean(KEY_IGNORE);
    }

    public boolean schemaIgnore() {
        return getBoolean(SCHEMA_IGNORE);
    }

    public WriteMethod writeMethod() {
        return WriteMethod.valueOf(getString(WRITE_METHOD).toUpperCase(Locale.ROOT));
    }

    public NullValueBehavior nullValues() {
        return NullValueBehavior.valueOf(getString(NULL_VALUES).toUpperCase(Locale.ROOT));
    }

    public MalformedBehavior malformedDocuments() {
        return MalformedBehavior.valueOf(getString(MALFORMED_DOCUMENTS).toUpperCase(Locale.ROOT));
    }

    /** Explicit topic → index entries; other topics use {@link IndexNames#forTopic}. */
    public Map<String, String> topicIndexMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : getList(TOPIC_INDEX_MAP)) {
            int colon = pair.lastIndexOf(':');
            map.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
        return map;
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public long lingerMs() {
        return getLong(LINGER_MS);
    }

    public int maxInFlightRequests() {
        return getInt(MAX_IN_FLIGHT_REQUESTS);
    }

    public int maxBufferedRecords() {
        return getInt(MAX_BUFFERED_RECORDS);
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    public long retryBackoffMs() {
        return getLong(RETRY_BACKOFF_MS);
    }

    public long retryBackoffMaxMs() {
        return getLong(RETRY_BACKOFF_MAX_MS);
    }

    public long flushTimeoutMs() {
        return getLong(FLUSH_TIMEOUT_MS);
    }
}
