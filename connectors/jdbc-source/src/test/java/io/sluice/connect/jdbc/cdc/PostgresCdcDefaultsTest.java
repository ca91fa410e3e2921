package io.sluice.connect.jdbc.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresCdcDefaultsTest {

    @Test
    void recommendsHeartbeatsPgoutputAndAKeptSlot() {
        assertThat(PostgresCdcDefaults.recommended())
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("heartbeat.interval.ms", "10000")
                .containsEntry("slot.drop.on.stop", "false")
                .containsEntry("publication.autocreate.mode", "filtered")
                .containsEntry("skipped.operations", "none")
                .containsEntry("poll.interval.ms", "10");
    }

    @Test
    void userSettingsWinOverRecommendedOnes() {
        Map<String, String> merged =
                PostgresCdcDefaults.applyTo(Map.of("heartbeat.interval.ms", "0", "topic.prefix", "x"));
        assertThat(merged)
                .containsEntry("heartbeat.interval.ms", "0")
                .containsEntry("topic.prefix", "x")
                .containsEntry("plugin.name", "pgoutput");
    }
}
