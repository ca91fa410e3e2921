package io.sluice.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's command line: {@code --name=value} flags, each checked with a message naming it.
 *
 * @param port the hub's HTTP port (REST API and UI)
 * @param postgresPort the embedded PostgreSQL's port, 0 for a free one
 * @param s3Port the embedded S3 API server's port, 0 for a free one
 * @param changesPerSecond the workload's pace
 * @param workerJar the hub's runnable jar, started as a child process
 */
record DemoOptions(int port, int postgresPort, int s3Port, int changesPerSecond, Path workerJar) {

    static final String USAGE = """
            Usage: java -jar workers/demo/target/sluice-demo.jar [--port=8083] [--pg-port=0] [--s3-port=0]
                                                                [--rate=20] [--worker-jar=workers/target/sluice.jar]
              --port         HTTP port of the hub (REST API and web UI); 0 picks a free one
              --pg-port      port of the embedded PostgreSQL; 0 (default) picks a free one
              --s3-port      port of the embedded S3 API server; 0 (default) picks a free one
              --rate         row changes per second made by the sample workload (1-1000)
              --worker-jar   the hub's jar (default: workers/target/sluice.jar beside this jar)
            Everything listens on 127.0.0.1. Ctrl-C stops it all and deletes what the demo created.""";

    /** Parses {@code args}; throws {@link IllegalArgumentException} naming the bad flag and value. */
    static DemoOptions parse(List<String> args, Path demoJar) {
        int port = 8083;
        int postgresPort = 0;
        int s3Port = 0;
        int rate = 20;
        Path workerJar = null;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("Unknown argument '" + arg + "': flags look like --name=value");
            }
            String name = arg.substring(2, eq);
            String value = arg.substring(eq + 1);
            switch (name) {
                case "port" -> port = number(name, value, 0, 65535);
                case "pg-port" -> postgresPort = number(name, value, 0, 65535);
                case "s3-port" -> s3Port = number(name, value, 0, 65535);
                case "rate" -> rate = number(name, value, 1, 1000);
                case "worker-jar" -> workerJar = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown flag --" + name);
            }
        }
        if (workerJar == null) {
            workerJar = defaultWorkerJar(demoJar);
        }
        if (!Files.isRegularFile(workerJar)) {
            throw new IllegalArgumentException("The hub's jar " + workerJar
                    + " does not exist: build it with ./mvnw -DskipTests package, or pass --worker-jar=<path>");
        }
        return new DemoOptions(port, postgresPort, s3Port, rate, workerJar.toAbsolutePath());
    }

    /** {@code workers/target/sluice.jar} of the checkout this demo jar was built in, else of the working directory. */
    private static Path defaultWorkerJar(Path demoJar) {
        if (demoJar != null && demoJar.getParent() != null) {
            Path beside = demoJar.toAbsolutePath()
                    .getParent()
                    .resolve("../../target/sluice.jar")
                    .normalize();
            if (Files.isRegularFile(beside)) {
                return beside;
            }
        }
        return Path.of("workers", "target", "sluice.jar");
    }

    private static int number(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--" + name + "=" + value + " is not valid: expected a whole number from " + min + " to " + max);
    }
}
