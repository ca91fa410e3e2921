package io.sluice.core.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartHistoryTest {

    @Test
    void shouldKeepOnlyTheMostRecentEventsUpToItsCapacity() {
        RestartHistory history = new RestartHistory(3);
        for (int i = 1; i <= 5; i++) {
            history.recordAutomatic(Instant.ofEpochSecond(i), "failure " + i);
        }

        assertThat(history.events())
                .extracting(RestartEvent::reason)
                .containsExactly("failure 3", "failure 4", "failure 5");
        assertThat(history.events()).extracting(RestartEvent::attempt).containsExactly(3, 4, 5);
        assertThat(history.last()).get().extracting(RestartEvent::at).isEqualTo(Instant.ofEpochSecond(5));
    }

    @Test
    void shouldResetAttemptsOnARequestedRestart() {
        RestartHistory history = new RestartHistory();
        history.recordAutomatic(Instant.EPOCH, "failed");
        history.recordAutomatic(Instant.EPOCH, "failed");

        RestartEvent requested = history.recordRequested(Instant.EPOCH, "POST /restart");

        assertThat(requested.attempt()).isZero();
        assertThat(history.consecutiveAttempts()).isZero();
        assertThat(history.recordAutomatic(Instant.EPOCH, "failed").attempt()).isEqualTo(1);
    }
}
