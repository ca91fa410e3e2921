package io.sluice.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class SourceTimeLagTest {

    static final Schema SOURCE = SchemaBuilder.struct()
            .field("db", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .build();
    static final Schema ENVELOPE = SchemaBuilder.struct()
            .field("op", Schema.STRING_SCHEMA)
            .field("source", SOURCE)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    static final Schema HEARTBEAT =
            SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).build();

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final SourceTimeLag lag = new SourceTimeLag(now::get);

    @Test
    void shouldBeSecondsSinceTheSourceTimeOfTheLastEventHandedOn() {
        lag.handed(List.of(change(now.get() - 400_000), change(now.get() - 300_000)));
        assertThat(lag.seconds()).isEqualTo(300.0);

        now.addAndGet(5_000); // still behind: nothing newer was handed on
        assertThat(lag.seconds()).isEqualTo(305.0);

        lag.handed(List.of(change(now.get() - 1_500)));
        assertThat(lag.seconds()).isEqualTo(1.5);
    }

    @Test
    void shouldBeZeroWhenIdleAndCaughtUp() {
        assertThat(lag.seconds()).as("before any event").isZero();
        lag.handed(List.of(change(now.get() - 60_000)));
        assertThat(lag.seconds()).isEqualTo(60.0);

        lag.idle();
        now.addAndGet(600_000);
        assertThat(lag.seconds()).isZero();
    }

    @Test
    void shouldTreatABatchWithoutChangeEventsAsCaughtUp() {
        lag.handed(List.of(change(now.get() - 60_000)));
        Struct heartbeat = new Struct(HEARTBEAT).put("ts_ms", now.get() - 999_000);
        lag.handed(List.of(
                new SourceRecord(Map.of(), Map.of(), "__debezium-heartbeat.shop", HEARTBEAT, heartbeat),
                new SourceRecord(Map.of(), Map.of(), "shop.public.t", null, null)));
        assertThat(lag.seconds()).isZero();
    }

    static SourceRecord change(long sourceMillis) {
        Struct source = new Struct(SOURCE).put("db", "shop").put("ts_ms", sourceMillis);
        Struct value = new Struct(ENVELOPE).put("op", "c").put("source", source).put("ts_ms", 0L);
        return new SourceRecord(Map.of(), Map.of(), "shop.public.t", ENVELOPE, value);
    }
}
