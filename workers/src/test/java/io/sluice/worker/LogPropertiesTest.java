package io.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.FlushPolicy;
import io.sluice.log.Log;
import io.sluice.worker.storage.LogConfiguration;
import io.sluice.worker.storage.LogProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class LogPropertiesTest {

    @TempDir
    Path dir;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(LogConfiguration.class, Enable.class);

    @EnableConfigurationProperties(LogProperties.class)
    static class Enable {}

    @Test
    void shouldOpenTheLogWithDefaultsUnderTheDataDir() {
        runner.withPropertyValues("sluice.data-dir=" + dir).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            LogProperties props = ctx.getBean(LogProperties.class);
            assertThat(props.log().flush()).isEqualTo(FlushPolicy.INTERVAL);
            assertThat(props.log().segmentSize().toMegabytes()).isEqualTo(128);
            Log log = ctx.getBean(Log.class);
            log.createTopic("t", java.util.Map.of());
            assertThat(dir.resolve("t").resolve("topic.properties")).exists();
        });
    }

    @Test
    void shouldRefuseToStartWithABadSettingAndNameIt() {
        runner.withPropertyValues("sluice.data-dir=" + dir, "sluice.log.flush=sometimes")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("sometimes");
                    assertThat(ctx.getStartupFailure()).hasStackTraceContaining("sluice.log.flush");
                });
        runner.withPropertyValues("sluice.data-dir=" + dir, "sluice.log.segment-size=10B")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).hasStackTraceContaining("segment.bytes=10");
                });
    }
}
