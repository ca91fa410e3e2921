package io.sluice.core.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.config.RestartConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant SOON_AFTER = START.plusSeconds(5);

    static RestartConfig config(Map<String, String> settings) {
        return RestartConfig.from(settings);
    }

    static final Map<String, String> NO_JITTER = Map.of(
            "sluice.restart.initial.backoff.ms", "1000",
            "sluice.restart.max.backoff.ms", "5000",
            "sluice.restart.max.attempts", "5",
            "sluice.restart.jitter", "0");

    @Test
    void shouldBackOffExponentiallyUpToTheMaximumThenGiveUp() {
        RestartPolicy policy = new RestartPolicy(config(NO_JITTER));
        RestartHistory history = new RestartHistory();

        StringBuilder waits = new StringBuilder();
        Optional<Duration> next;
        while ((next = policy.nextRestart(history, START, SOON_AFTER)).isPresent()) {
            waits.append(next.get().toMillis()).append(' ');
            history.recordAutomatic(SOON_AFTER, "task failed");
        }

        assertThat(waits.toString().trim()).isEqualTo("1000 2000 4000 5000 5000");
        assertThat(history.consecutiveAttempts()).isEqualTo(5);
    }

    @Test
    void shouldSpreadWaitsByTheJitterFraction() {
        Map<String, String> settings = Map.of(
                "sluice.restart.initial.backoff.ms", "1000",
                "sluice.restart.max.backoff.ms", "60000",
                "sluice.restart.jitter", "0.2");

        Duration lowest = new RestartPolicy(config(settings), () -> 0.0).backoff(2);
        Duration middle = new RestartPolicy(config(settings), () -> 0.5).backoff(2);
        Duration highest = new RestartPolicy(config(settings), () -> 0.999999).backoff(2);

        assertThat(lowest).isEqualTo(Duration.ofMillis(1600));
        assertThat(middle).isEqualTo(Duration.ofMillis(2000));
        assertThat(highest.toMillis()).isBetween(2399L, 2400L);
    }

    @Test
    void shouldStartCountingAgainAfterATaskRanLongEnough() {
        RestartPolicy policy = new RestartPolicy(config(NO_JITTER));
        RestartHistory history = new RestartHistory();
        for (int i = 0; i < 5; i++) {
            history.recordAutomatic(SOON_AFTER, "failed");
        }
        assertThat(policy.nextRestart(history, START, SOON_AFTER)).isEmpty();

        Instant failedMuchLater = START.plus(Duration.ofMinutes(11)); // default reset after: 10 minutes
        assertThat(policy.nextRestart(history, START, failedMuchLater)).contains(Duration.ofMillis(1000));
    }

    @Test
    void shouldNeverRestartWhenDisabledAndAlwaysWithUnlimitedAttempts() {
        RestartHistory history = new RestartHistory();
        assertThat(new RestartPolicy(config(Map.of("sluice.restart.enabled", "false")))
                        .nextRestart(history, START, SOON_AFTER))
                .isEmpty();

        RestartPolicy unlimited = new RestartPolicy(config(Map.of("sluice.restart.max.attempts", "-1")), () -> 0.5);
        for (int i = 0; i < 100; i++) {
            history.recordAutomatic(SOON_AFTER, "failed");
        }
        assertThat(unlimited.nextRestart(history, START, SOON_AFTER)).contains(Duration.ofMillis(300_000));
    }

    @Test
    void shouldNameTheSettingOfAnInvalidRestartValue() {
        assertThatThrownBy(() -> config(Map.of("sluice.restart.jitter", "2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sluice.restart.jitter");
    }
}
