package io.sluice.worker;

import io.sluice.core.service.ConnectorService;
import io.sluice.log.Log;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** A worker started in this JVM on a random port with its data in {@code dataDir}; close() stops it. */
public final class TestWorker implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private TestWorker(ConfigurableApplicationContext context) {
        this.context = context;
    }

    public static TestWorker start(Path dataDir, String... extraProperties) {
        List<String> props = new ArrayList<>(List.of(
                "sluice.data-dir=" + dataDir,
                "server.port=0",
                "server.address=127.0.0.1",
                "sluice.offset-flush-interval=200ms",
                "sluice.plugin-path=" + dataDir.resolve("no-plugins")));
        props.addAll(List.of(extraProperties));
        // as command-line arguments: builder "properties" are defaults, which application.properties
        // (server.port=8083) would override
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(SluiceApplication.class)
                .run(props.stream().map(p -> "--" + p).toArray(String[]::new));
        return new TestWorker(ctx);
    }

    public ConnectorService connectors() {
        return context.getBean(ConnectorService.class);
    }

    /** The HTTP port the worker's REST API listens on (127.0.0.1). */
    public int port() {
        return ((org.springframework.boot.web.context.WebServerApplicationContext) context)
                .getWebServer()
                .getPort();
    }

    public Log log() {
        return context.getBean(Log.class);
    }

    public org.springframework.context.ApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
