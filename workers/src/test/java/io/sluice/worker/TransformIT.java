package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.core.status.TargetState;
import io.sluice.worker.testconnectors.CountingSinkConnector;
import io.sluice.worker.testconnectors.Received;
import io.sluice.worker.testconnectors.SequenceSourceConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka's SMTs and predicates (with negate) run on the source side before the log and on the sink side after it. */
class TransformIT {

    private static final String SMT = "org.apache.kafka.connect.transforms.";

    @TempDir
    Path dir;

    /**
     * The same source-side chain on every source: records of topic "orders" get the header
     * origin=sluice; records of any other topic are routed to "<topic>-routed".
     */
    private static Map<String, String> source(String topic, int count) {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", SequenceSourceConnector.class.getName());
        c.put("topic", topic);
        c.put("count", Integer.toString(count));
        c.put("batch.size", "7");
        c.put("tasks.max", "1");
        c.put("predicates", "onlyOrders");
        c.put("predicates.onlyOrders.type", SMT + "predicates.TopicNameMatches");
        c.put("predicates.onlyOrders.pattern", "orders");
        c.put("transforms", "origin,route");
        c.put("transforms.origin.type", SMT + "InsertHeader");
        c.put("transforms.origin.header", "origin");
        c.put("transforms.origin.value.literal", "sluice");
        c.put("transforms.origin.predicate", "onlyOrders");
        c.put("transforms.route.type", SMT + "RegexRouter");
        c.put("transforms.route.regex", "(.*)");
        c.put("transforms.route.replacement", "$1-routed");
        c.put("transforms.route.predicate", "onlyOrders");
        c.put("transforms.route.negate", "true");
        return c;
    }

    /**
     * Sink-side chain: "orders" values are wrapped in a struct {line}; records without the origin
     * header get the header seen=sink; every record of "audit" is dropped.
     */
    private static Map<String, String> sink() {
        Map<String, String> c = new HashMap<>();
        c.put("connector.class", CountingSinkConnector.class.getName());
        c.put("topics", "orders,payments-routed,audit-routed");
        c.put("tasks.max", "1");
        c.put("predicates", "onlyOrders,hasOrigin,isAudit");
        c.put("predicates.onlyOrders.type", SMT + "predicates.TopicNameMatches");
        c.put("predicates.onlyOrders.pattern", "orders");
        c.put("predicates.hasOrigin.type", SMT + "predicates.HasHeaderKey");
        c.put("predicates.hasOrigin.name", "origin");
        c.put("predicates.isAudit.type", SMT + "predicates.TopicNameMatches");
        c.put("predicates.isAudit.pattern", "audit.*");
        c.put("transforms", "hoist,mark,dropAudit");
        c.put("transforms.hoist.type", SMT + "HoistField$Value");
        c.put("transforms.hoist.field", "line");
        c.put("transforms.hoist.predicate", "onlyOrders");
        c.put("transforms.mark.type", SMT + "InsertHeader");
        c.put("transforms.mark.header", "seen");
        c.put("transforms.mark.value.literal", "sink");
        c.put("transforms.mark.predicate", "hasOrigin");
        c.put("transforms.mark.negate", "true");
        c.put("transforms.dropAudit.type", SMT + "Filter");
        c.put("transforms.dropAudit.predicate", "isAudit");
        return c;
    }

    private static String header(SinkRecord r, String key) {
        Header h = r.headers().lastWithName(key);
        return h == null ? null : String.valueOf(h.value());
    }

    @Test
    void shouldApplyPredicatedTransformsOnBothSides() {
        Received.clear("t-sink");
        try (TestWorker worker = TestWorker.start(dir)) {
            worker.connectors().createConnector("t-orders", source("orders", 50), TargetState.STARTED);
            worker.connectors().createConnector("t-payments", source("payments", 30), TargetState.STARTED);
            worker.connectors().createConnector("t-audit", source("audit", 20), TargetState.STARTED);
            worker.connectors().createConnector("t-sink", sink(), TargetState.STARTED);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> worker.log().topics().contains("audit-routed")
                            && worker.log().partition("audit-routed", 0).highWatermark() == 20
                            && Received.of("t-sink").count() >= 80);
            // the audit records were read (and committed) by the sink, then filtered out
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> worker.connectors().offsets("t-sink").offsets().stream()
                            .anyMatch(o -> "audit-routed".equals(o.partition().get("kafka_topic"))
                                    && Long.valueOf(20)
                                            .equals(((Number) o.offset().get("kafka_offset")).longValue())));
            assertThat(worker.log().topics())
                    .contains("orders", "payments-routed", "audit-routed")
                    .doesNotContain("orders-routed", "payments", "audit");

            List<SinkRecord> got = Received.of("t-sink").records();
            assertThat(got).hasSize(80);
            List<SinkRecord> orders =
                    got.stream().filter(r -> r.topic().equals("orders")).toList();
            List<SinkRecord> payments = got.stream()
                    .filter(r -> r.topic().equals("payments-routed"))
                    .toList();
            assertThat(orders).hasSize(50);
            assertThat(payments).hasSize(30);
            assertThat(got).noneMatch(r -> r.topic().startsWith("audit"));

            for (int i = 0; i < orders.size(); i++) {
                SinkRecord r = orders.get(i);
                assertThat(r.value()).isInstanceOf(Struct.class);
                assertThat(((Struct) r.value()).getString("line")).isEqualTo("t0-v" + i);
                assertThat(header(r, "origin")).isEqualTo("sluice");
                assertThat(header(r, "seen")).isNull();
            }
            for (int i = 0; i < payments.size(); i++) {
                SinkRecord r = payments.get(i);
                assertThat(r.value()).isEqualTo("t0-v" + i);
                assertThat(header(r, "origin")).isNull();
                assertThat(header(r, "seen")).isEqualTo("sink");
            }
        }
    }
}
