package io.sluice.worker;

import io.sluice.core.service.ConnectorService;
import io.sluice.core.status.TargetState;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Test only: when {@code sluice.test.connectors-dir} is set, creates a connector from each
 * {@code <name>.properties} file there that the worker does not have yet, then prints
 * {@code SLUICE-TEST-READY}. Lets tests drive a worker in a child JVM before the REST API exists.
 */
@Component
@ConditionalOnProperty("sluice.test.connectors-dir")
class StartupConnectors implements ApplicationRunner {

    static final String READY = "SLUICE-TEST-READY";

    private final ConnectorService connectors;
    private final Path dir;

    StartupConnectors(ConnectorService connectors, @Value("${sluice.test.connectors-dir}") Path dir) {
        this.connectors = connectors;
        this.dir = dir;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".properties"))
                    .sorted()
                    .toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString().replaceFirst("\\.properties$", "");
            if (!connectors.connectorNames().contains(name)) {
                connectors.createConnector(name, read(file), TargetState.STARTED);
            }
        }
        System.out.println(READY);
    }

    private static Map<String, String> read(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        }
        Map<String, String> out = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k)));
        return out;
    }
}
