package io.sluice.core.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Compiles small Java sources at test time and packs them as a plugin jar or class folder, so no
 * binary fixture is checked in. Compiles against the Connect API and Kafka clients jars of the test
 * classpath plus any extra jars given.
 */
public final class PluginJarBuilder {

    private final Path workDir;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, List<String>> services = new LinkedHashMap<>();
    private final List<Path> extraClasspath = new ArrayList<>();
    private String implementationVersion;

    public PluginJarBuilder(Path workDir) {
        this.workDir = workDir;
    }

    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    public PluginJarBuilder service(Class<?> serviceType, String... implementations) {
        services.computeIfAbsent(serviceType.getName(), k -> new ArrayList<>()).addAll(List.of(implementations));
        return this;
    }

    public PluginJarBuilder service(String serviceType, String... implementations) {
        services.computeIfAbsent(serviceType, k -> new ArrayList<>()).addAll(List.of(implementations));
        return this;
    }

    public PluginJarBuilder classpath(Path jar) {
        extraClasspath.add(jar);
        return this;
    }

    public PluginJarBuilder implementationVersion(String version) {
        this.implementationVersion = version;
        return this;
    }

    /** Compiles and writes a jar at {@code target}; returns it. */
    public Path buildJar(Path target) {
        Path classes = compile();
        try (OutputStream file = Files.newOutputStream(target);
                JarOutputStream jar = new JarOutputStream(file, manifest());
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Compiles into the folder {@code target} (class files and manifests); returns it. */
    public Path buildFolder(Path target) {
        Path classes = compile();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path dest = target.resolve(classes.relativize(f).toString());
                Files.createDirectories(dest.getParent());
                Files.copy(f, dest);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private Path compile() {
        try {
            Path src = Files.createTempDirectory(workDir, "src");
            Path classes = Files.createTempDirectory(workDir, "classes");
            List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", classpath()));
            for (Map.Entry<String, String> s : sources.entrySet()) {
                Path file = src.resolve(s.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, s.getValue());
                args.add(file.toString());
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            int rc = compiler.run(null, null, null, args.toArray(String[]::new));
            if (rc != 0) {
                throw new IllegalStateException("Compilation of test plugin failed: " + sources.keySet());
            }
            for (Map.Entry<String, List<String>> s : services.entrySet()) {
                Path manifest = classes.resolve("META-INF/services/" + s.getKey());
                Files.createDirectories(manifest.getParent());
                Files.writeString(
                        manifest, "# test manifest\n" + String.join("\n", s.getValue()) + "\n", StandardCharsets.UTF_8);
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Manifest manifest() {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (implementationVersion != null) {
            manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, implementationVersion);
        }
        return manifest;
    }

    private String classpath() {
        List<Path> entries = new ArrayList<>(List.of(jarOf(SourceConnector.class), jarOf(ConfigDef.class)));
        entries.addAll(extraClasspath);
        return entries.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
