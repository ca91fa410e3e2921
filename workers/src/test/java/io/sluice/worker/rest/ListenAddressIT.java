package io.sluice.worker.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.worker.SluiceApplication;
import java.net.InetAddress;
import java.nio.file.Path;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Safe defaults: with no settings the worker listens on 127.0.0.1 only and says it runs without
 * authentication; asked to listen on every interface without authentication it refuses to start,
 * before listening, with a message naming the settings that would allow it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ListenAddressIT {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext run(String... args) {
        return new SpringApplicationBuilder(SluiceApplication.class).run(args);
    }

    @Test
    void shouldListenOnLoopbackOnlyByDefault(CapturedOutput output) {
        try (ConfigurableApplicationContext ctx = run(
                "--sluice.data-dir=" + dir.resolve("data"),
                "--server.port=0",
                "--sluice.plugin-path=" + dir.resolve("none"))) {
            TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) ctx).getWebServer();
            Connector connector = server.getTomcat().getConnector();
            Object address = connector.getProperty("address");
            assertThat(address).isInstanceOf(InetAddress.class);
            assertThat(((InetAddress) address).isLoopbackAddress()).isTrue();
            assertThat(output.getOut()).contains("REST API and UI on 127.0.0.1 only, without authentication");
        }
    }

    @Test
    void shouldRefuseEveryInterfaceWithoutAuthentication(CapturedOutput output) {
        assertThatThrownBy(() -> run(
                        "--sluice.data-dir=" + dir.resolve("data"),
                        "--server.port=0",
                        "--server.address=0.0.0.0",
                        "--sluice.plugin-path=" + dir.resolve("none")))
                .hasStackTraceContaining("Refusing to listen on 0.0.0.0 without authentication")
                .hasStackTraceContaining("sluice.security.users-file")
                .hasStackTraceContaining("sluice.security.allow-anonymous=true");
        assertThat(output.getOut()).doesNotContain("Tomcat started on port");
        assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START");
    }
}
