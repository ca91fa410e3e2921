package io.sluice.connect.s3.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TimeBasedPartitionerTest {

    @Test
    void shouldReadConfluentJodaPatternsWithYearOfEra() {
        TimeBasedPartitioner hourly = new TimeBasedPartitioner(
                TimeBasedPartitioner.HOURLY_FORMAT, TimeBasedPartitioner.HOUR_MS, ZoneId.of("UTC"), Locale.ROOT);
        // 2024-12-30 is in week-year 2025: a literal YYYY in java.time would say 2025
        long t = Instant.parse("2024-12-30T23:59:59Z").toEpochMilli();
        assertThat(hourly.encode(null, t)).isEqualTo("year=2024/month=12/day=30/hour=23");
    }

    @Test
    void shouldAlignPartitionsToTheZonesLocalTime() {
        TimeBasedPartitioner daily = new TimeBasedPartitioner(
                "'day'=YYYY-MM-dd'T'HH:mm", TimeBasedPartitioner.DAY_MS, ZoneId.of("America/New_York"), Locale.ROOT);
        long t = Instant.parse("2024-05-07T03:30:00Z").toEpochMilli(); // 23:30 on the 6th in New York
        assertThat(daily.encode(null, t)).isEqualTo("day=2024-05-06T00:00");
    }
}
