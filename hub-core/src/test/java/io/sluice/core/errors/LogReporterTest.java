package io.sluice.core.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class LogReporterTest {

    static final FailedOperation FAILURE = new FailedOperation(
            "orders-sink",
            2,
            new OriginalRecord(
                    "orders",
                    1,
                    5L,
                    "k1".getBytes(StandardCharsets.UTF_8),
                    "{\"card\":\"4111\"}".getBytes(StandardCharsets.UTF_8),
                    List.of(RawHeader.utf8("h", "v"))),
            Stage.VALUE_CONVERTER,
            String.class,
            new DataException("bad"),
            1);

    @Test
    void shouldDescribeWhereTheFailureHappenedWithoutRecordContentByDefault() {
        String message = new LogReporter(false, new ErrorCounters()).message(FAILURE);

        assertThat(message)
                .contains("orders-sink-2")
                .contains("VALUE_CONVERTER")
                .contains("java.lang.String")
                .contains("topic='orders', partition=1, offset=5")
                .doesNotContain("4111");
    }

    @Test
    void shouldIncludeTheRecordWhenAskedTo() {
        String message = new LogReporter(true, new ErrorCounters()).message(FAILURE);

        assertThat(message)
                .contains("key='k1'")
                .contains("value='{\"card\":\"4111\"}'")
                .contains("headers=[h]");
    }
}
