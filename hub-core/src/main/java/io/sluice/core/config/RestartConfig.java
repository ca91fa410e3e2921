package io.sluice.core.config;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * Sluice's automatic restart settings ({@code sluice.restart.*}): whether a failed task is
 * restarted by the hub, how long to wait before each attempt and how many attempts to make. Parsed
 * values are immutable and thread-safe.
 *
 * @param enabled whether failed tasks are restarted automatically
 * @param initialBackoff wait before the first restart attempt
 * @param maxBackoff the longest wait between attempts
 * @param maxAttempts restart attempts before the task stays FAILED; -1 for no limit
 * @param jitter fraction (0..1) of random spread applied to each wait
 * @param resetAfter a task running this long without failing starts counting attempts afresh
 */
public record RestartConfig(
        boolean enabled,
        Duration initialBackoff,
        Duration maxBackoff,
        int maxAttempts,
        double jitter,
        Duration resetAfter) {

    public static final String GROUP = "Automatic Restart";
    public static final String ENABLED_CONFIG = "sluice.restart.enabled";
    public static final String INITIAL_BACKOFF_CONFIG = "sluice.restart.initial.backoff.ms";
    public static final long INITIAL_BACKOFF_DEFAULT = 1_000L;
    public static final String MAX_BACKOFF_CONFIG = "sluice.restart.max.backoff.ms";
    public static final long MAX_BACKOFF_DEFAULT = 300_000L;
    public static final String MAX_ATTEMPTS_CONFIG = "sluice.restart.max.attempts";
    public static final int MAX_ATTEMPTS_DEFAULT = 10;
    public static final String JITTER_CONFIG = "sluice.restart.jitter";
    public static final double JITTER_DEFAULT = 0.2;
    public static final String RESET_AFTER_CONFIG = "sluice.restart.reset.after.ms";
    public static final long RESET_AFTER_DEFAULT = 600_000L;

    /** Adds the {@code sluice.restart.*} definitions to {@code def}. */
    public static ConfigDef defineOn(ConfigDef def) {
        defineBackoff(def);
        defineLimits(def);
        return def;
    }

    /**
     * Parses the restart settings out of a full connector config (other keys are ignored).
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the field if a value is invalid
     */
    public static RestartConfig from(Map<String, String> connectorConfig) {
        AbstractConfig parsed = new AbstractConfig(defineOn(new ConfigDef()), connectorConfig, false);
        return new RestartConfig(
                parsed.getBoolean(ENABLED_CONFIG),
                Duration.ofMillis(parsed.getLong(INITIAL_BACKOFF_CONFIG)),
                Duration.ofMillis(Math.max(parsed.getLong(MAX_BACKOFF_CONFIG), parsed.getLong(INITIAL_BACKOFF_CONFIG))),
                parsed.getInt(MAX_ATTEMPTS_CONFIG),
                parsed.getDouble(JITTER_CONFIG),
                Duration.ofMillis(parsed.getLong(RESET_AFTER_CONFIG)));
    }

    private static void defineBackoff(ConfigDef def) {
        def.define(
                ENABLED_CONFIG,
                Type.BOOLEAN,
                true,
                Importance.MEDIUM,
                "Restart failed tasks automatically, with exponential backoff.",
                GROUP,
                1,
                Width.SHORT,
                "Automatic restart");
        def.define(
                INITIAL_BACKOFF_CONFIG,
                Type.LONG,
                INITIAL_BACKOFF_DEFAULT,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Wait in milliseconds before the first automatic restart.",
                GROUP,
                2,
                Width.SHORT,
                "Initial restart backoff (ms)");
        def.define(
                MAX_BACKOFF_CONFIG,
                Type.LONG,
                MAX_BACKOFF_DEFAULT,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "Longest wait in milliseconds between automatic restarts.",
                GROUP,
                3,
                Width.SHORT,
                "Maximum restart backoff (ms)");
    }

    private static void defineLimits(ConfigDef def) {
        def.define(
                MAX_ATTEMPTS_CONFIG,
                Type.INT,
                MAX_ATTEMPTS_DEFAULT,
                ConfigDef.Range.atLeast(-1),
                Importance.LOW,
                "Automatic restarts before a task is left FAILED; -1 for no limit.",
                GROUP,
                4,
                Width.SHORT,
                "Maximum restart attempts");
        def.define(
                JITTER_CONFIG,
                Type.DOUBLE,
                JITTER_DEFAULT,
                ConfigDef.Range.between(0.0, 1.0),
                Importance.LOW,
                "Random spread applied to each backoff, as a fraction of it, so that tasks "
                        + "failing together do not restart together.",
                GROUP,
                5,
                Width.SHORT,
                "Restart jitter");
        def.define(
                RESET_AFTER_CONFIG,
                Type.LONG,
                RESET_AFTER_DEFAULT,
                ConfigDef.Range.atLeast(0),
                Importance.LOW,
                "A task that runs this many milliseconds without failing starts counting "
                        + "restart attempts from zero again.",
                GROUP,
                6,
                Width.SHORT,
                "Restart attempts reset after (ms)");
    }
}
