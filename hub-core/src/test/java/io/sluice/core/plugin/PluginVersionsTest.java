package io.sluice.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PluginVersionsTest {

    @Test
    void shouldOrderVersionsNumerically() {
        assertThat(PluginVersions.ORDER.compare("1.10.0", "1.9.3")).isPositive();
        assertThat(PluginVersions.ORDER.compare("2.0", "2.0.1")).isNegative();
        assertThat(PluginVersions.ORDER.compare("3.6.1.Final", "3.6.1.Final")).isZero();
        assertThat(PluginVersions.ORDER.compare("undefined", "1.0")).isNegative();
    }
}
