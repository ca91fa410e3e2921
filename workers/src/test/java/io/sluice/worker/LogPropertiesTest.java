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

    @Test
    void shouldGiveNewTopicsTheWorkersMaxMessageBytesUnlessTheyHaveTheirOwn() {
        runner.withPropertyValues("sluice.data-dir=" + dir).run(ctx -> {
            assertThat(ctx.getBean(LogProperties.class)
                            .toLogOptions()
                            .topicDefaults()
                            .maxMessageBytes())
                    .isEqualTo(8 << 20);
        });
        runner.withPropertyValues("sluice.data-dir=" + dir, "sluice.log.max-message-bytes=20MB")
                .run(ctx -> {
                    Log log = ctx.getBean(Log.class);
                    log.createTopic("wide", java.util.Map.of());
                    log.createTopic("narrow", java.util.Map.of("max.message.bytes", "65536"));
                    assertThat(log.topicConfig("wide").orElseThrow().maxMessageBytes())
                            .isEqualTo(20 << 20);
                    assertThat(log.topicConfig("narrow").orElseThrow().maxMessageBytes())
                            .isEqualTo(65536);
                });
        runner.withPropertyValues("sluice.data-dir=" + dir, "sluice.log.max-message-bytes=100MB")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure()).hasStackTraceContaining("max.message.bytes=104857600");
                });
    }
}
