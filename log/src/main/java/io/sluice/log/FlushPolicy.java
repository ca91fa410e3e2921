package io.sluice.log;

import java.util.Locale;

/**
 * When appended bytes are forced to disk.
 *
 * <ul>
 *   <li>{@code ALWAYS}: an append is acknowledged only after {@code fsync}; concurrent appenders share
 *       one fsync (group commit). Survives power loss; slower.
 *   <li>{@code INTERVAL} (default): acknowledged once written to the OS page cache, forced every
 *       {@code flush.interval.ms}. Survives a killed process (the page cache outlives it) but a power
 *       loss or kernel crash may lose the last interval; with replication (RF=3) a copy on other
 *       machines covers that window, which is why Kafka makes the same default choice.
 * </ul>
 */
public enum FlushPolicy {
    ALWAYS,
    INTERVAL;

    public static FlushPolicy parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
