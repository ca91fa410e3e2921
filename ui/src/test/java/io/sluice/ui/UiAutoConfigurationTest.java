package io.sluice.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

class UiAutoConfigurationTest {

    @Test
    void shouldServeTheIndexPageInAServletWebApplication() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(UiAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).hasSingleBean(UiAutoConfiguration.class));
    }

    @Test
    void shouldStayOutOfNonWebApplications() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(UiAutoConfiguration.class))
                .run(ctx -> assertThat(ctx).doesNotHaveBean(UiAutoConfiguration.class));
    }

    @Test
    void shouldShipTheIndexPageInTheJar() {
        assertThat(getClass().getResource("/META-INF/resources/ui/index.html")).isNotNull();
    }
}
