package io.sluice.connect.s3.partition;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Folders by record time, as Confluent's {@code TimeBasedPartitioner} (and its hourly and daily
 * presets): the time is floored to a multiple of {@code partition.duration.ms} in the configured
 * zone, then formatted with {@code path.format}.
 */
public final class TimeBasedPartitioner implements Partitioner {

    /** Confluent's {@code HourlyPartitioner}. */
    public static final String HOURLY_FORMAT = "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH";
    /** Confluent's {@code DailyPartitioner}. */
    public static final String DAILY_FORMAT = "'year'=YYYY/'month'=MM/'day'=dd";

    public static final long HOUR_MS = 3_600_000L;
    public static final long DAY_MS = 24 * HOUR_MS;

    private final long durationMs;
    private final ZoneId zone;
    private final DateTimeFormatter formatter;

    public TimeBasedPartitioner(String pathFormat, long durationMs, ZoneId zone, Locale locale) {
        if (durationMs <= 0) {
            throw new IllegalArgumentException("partition duration must be positive: " + durationMs);
        }
        this.durationMs = durationMs;
        this.zone = zone;
        this.formatter = PathFormat.formatter(pathFormat, locale).withZone(zone);
    }

    @Override
    public String encode(SinkRecord record, long timestamp) {
        return formatter.format(Instant.ofEpochMilli(floor(timestamp)));
    }

    /** Start of the partition holding {@code timestamp}, boundaries aligned in the zone's local time. */
    long floor(long timestamp) {
        long offsetMs =
                zone.getRules().getOffset(Instant.ofEpochMilli(timestamp)).getTotalSeconds() * 1000L;
        long local = timestamp + offsetMs;
        long flooredLocal = Math.floorDiv(local, durationMs) * durationMs;
        ZonedDateTime start = Instant.ofEpochMilli(flooredLocal)
                .atZone(ZoneId.of("UTC"))
                .toLocalDateTime()
                .atZone(zone);
        return start.toInstant().toEpochMilli();
    }

    @Override
    public boolean usesTime() {
        return true;
    }
}
