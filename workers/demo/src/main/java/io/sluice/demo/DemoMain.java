package io.sluice.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * {@code java -jar sluice-demo.jar [flags]}: Sluice's main job in one command (see {@link Demo}).
 * Ctrl-C (SIGINT) or SIGTERM stops it: the JVM exits, with the signal's usual status, once
 * everything is stopped and removed. Exits 1 if the demo could not start (after removing what it had
 * created), 2 for a bad flag.
 */
public final class DemoMain {

    private DemoMain() {}

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(List.of(args), ownJar());
        } catch (IllegalArgumentException e) {
            System.err.println("sluice-demo: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        Path folder = Files.createTempDirectory(
                "sluice-demo-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // Before any logger exists: the embedded servers' own logging goes to a file of the demo.
        System.setProperty("sluice.demo.log", folder.resolve("demo.log").toString());
        Demo demo = new Demo(options, folder, System.out, System.console() != null);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::stop, "demo-shutdown"));
        try {
            demo.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Ctrl-C reaches the hub and PostgreSQL too, which may stop before this JVM's shutdown hook
            // starts: a failure that a stop explains is not reported
            if (demo.awaitStopping(2000)) {
                return;
            }
            System.out.println();
            System.out.println("!! the demo stopped: " + e.getMessage());
            demo.stop();
            System.exit(1);
        }
    }

    /** The jar given to {@code java -jar}, or null when run otherwise. */
    private static Path ownJar() {
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            Path jar = Path.of(classPath);
            return Files.isRegularFile(jar) ? jar : null;
        }
        return null;
    }
}
