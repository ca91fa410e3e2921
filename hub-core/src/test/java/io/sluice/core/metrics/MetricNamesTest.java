package io.sluice.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricNamesTest {

    @Test
    void shouldUseUniqueLowerCaseDottedNamesUnderTheSluicePrefix() {
        assertThat(MetricNames.ALL)
                .doesNotHaveDuplicates()
                .allSatisfy(name -> assertThat(name).matches("sluice(\\.[a-z]+)+"));
        assertThat(MetricNames.ALL)
                .contains(
                        MetricNames.SOURCE_RECORDS_POLLED,
                        MetricNames.SINK_RECORDS_PUT,
                        MetricNames.TASK_BATCH_SIZE,
                        MetricNames.OFFSET_COMMIT_LATENCY,
                        MetricNames.TASK_ERRORS,
                        MetricNames.DLQ_RECORDS,
                        MetricNames.SINK_LAG,
                        MetricNames.TASK_RESTARTS);
    }
}
