package io.sluice.log;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Settings of a whole {@link Log}.
 *
 * @param dataDir directory holding one folder per topic
 * @param topicDefaults settings of topics created without overrides
 * @param retentionCheckInterval how often retention runs
 * @param cleanerInterval how often compaction runs
 * @param fileDeleteDelay how long removed segment files stay readable by fetches under way
 * @param autoCommit commit appends immediately (single node); {@code false} when replication commits
 * @param clock wall clock in epoch milliseconds
 */
public record LogOptions(
        Path dataDir,
        TopicConfig topicDefaults,
        Duration retentionCheckInterval,
        Duration cleanerInterval,
        Duration fileDeleteDelay,
        boolean autoCommit,
        LongSupplier clock) {

    public LogOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(topicDefaults, "topicDefaults");
        Objects.requireNonNull(clock, "clock");
    }

    /** Defaults for a single node storing under {@code dataDir}. */
    public static LogOptions defaults(Path dataDir) {
        return new LogOptions(
                dataDir,
                TopicConfig.DEFAULTS,
                Duration.ofSeconds(30),
                Duration.ofSeconds(15),
                Duration.ofSeconds(60),
                true,
                System::currentTimeMillis);
    }

    public LogOptions withTopicDefaults(TopicConfig defaults) {
        return new LogOptions(
                dataDir, defaults, retentionCheckInterval, cleanerInterval, fileDeleteDelay, autoCommit, clock);
    }

    public LogOptions withClock(LongSupplier newClock) {
        return new LogOptions(
                dataDir, topicDefaults, retentionCheckInterval, cleanerInterval, fileDeleteDelay, autoCommit, newClock);
    }

    public LogOptions withIntervals(Duration retention, Duration cleaner, Duration deleteDelay) {
        return new LogOptions(dataDir, topicDefaults, retention, cleaner, deleteDelay, autoCommit, clock);
    }
}
