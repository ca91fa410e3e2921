package io.sluice.core.plugin;

import io.sluice.core.plugin.Plugins.LoadedPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers plugins on the hub's classpath and under a plugin path.
 *
 * <p>On the classpath, plugins are found through {@code META-INF/services} manifests only (Kafka's
 * own jars ship them). Under each plugin path folder, every direct child is one plugin: a folder
 * (its class files and every jar beneath it) or a jar. Each gets its own {@link
 * PluginClassLoader}. A plugin with manifests is read through them; a plugin without any is scanned
 * for public concrete classes implementing a plugin interface.
 *
 * <p>Blocking (reads files, loads classes, instantiates {@code Versioned} plugins to read their
 * version). Not thread-safe; use one scanner per scan.
 */
public final class PluginScanner {

    private static final Logger log = LoggerFactory.getLogger(PluginScanner.class);

    private final ClassLoader hubLoader;
    private final List<LoadedPlugin> found = new ArrayList<>();
    private final List<PluginClassLoader> loaders = new ArrayList<>();

    private PluginScanner(ClassLoader hubLoader) {
        this.hubLoader = hubLoader;
    }

    /** Scans the classpath of the class loader that loaded the hub, and {@code pluginPath}. */
    public static Plugins scan(List<Path> pluginPath) {
        return scan(pluginPath, PluginScanner.class.getClassLoader());
    }

    /**
     * Scans {@code hubLoader}'s manifests and every plugin under each {@code pluginPath} folder.
     * Missing plugin path folders are skipped with a warning; an unreadable plugin is skipped with
     * an error, and the rest still load.
     */
    public static Plugins scan(List<Path> pluginPath, ClassLoader hubLoader) {
        PluginScanner scanner = new PluginScanner(hubLoader);
        scanner.scanManifests(hubLoader, PluginDescriptor.CLASSPATH, null);
        for (Path folder : pluginPath) {
            scanner.scanPluginPathFolder(folder);
        }
        log.info("Found {} plugins in {} plugin locations", scanner.found.size(), scanner.loaders.size());
        return new Plugins(scanner.found, scanner.loaders, hubLoader);
    }

    private void scanPluginPathFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            log.warn("Plugin path entry {} is not a folder; skipped", folder);
            return;
        }
        try (Stream<Path> children = Files.list(folder)) {
            children.sorted().forEach(this::scanPlugin);
        } catch (IOException e) {
            log.error("Could not list plugin path folder {}", folder, e);
        }
    }

    private void scanPlugin(Path plugin) {
        boolean isJar =
                Files.isRegularFile(plugin) && plugin.getFileName().toString().endsWith(".jar");
        if (!isJar && !Files.isDirectory(plugin)) {
            return;
        }
        try {
            List<Path> contents = isJar ? List.of(plugin) : folderContents(plugin);
            PluginClassLoader loader = new PluginClassLoader(plugin.toString(), toUrls(contents), hubLoader);
            loaders.add(loader);
            int before = found.size();
            boolean hasManifests = scanManifests(loader, plugin.toString(), loader);
            if (!hasManifests) {
                scanClasses(loader, contents);
            }
            log.info(
                    "Loaded plugin {} with {} plugin classes ({})",
                    plugin,
                    found.size() - before,
                    hasManifests ? "service manifests" : "class scan");
        } catch (IOException | UncheckedIOException e) {
            log.error("Could not read plugin {}; skipped", plugin, e);
        }
    }

    private static List<Path> folderContents(Path folder) throws IOException {
        List<Path> contents = new ArrayList<>();
        contents.add(folder);
        try (Stream<Path> files = Files.walk(folder)) {
            files.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".jar"))
                    .sorted()
                    .forEach(contents::add);
        }
        return contents;
    }

    private static URL[] toUrls(List<Path> paths) throws MalformedURLException {
        URL[] urls = new URL[paths.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = paths.get(i).toUri().toURL();
        }
        return urls;
    }

    /**
     * Reads the manifests visible to {@code loader}; with an {@code owner}, only the owner's own
     * manifests and classes count. Returns whether any manifest was found.
     */
    private boolean scanManifests(ClassLoader loader, String location, PluginClassLoader owner) {
        boolean any = false;
        for (PluginType type : PluginType.values()) {
            try {
                Enumeration<URL> manifests = owner != null
                        ? owner.findResources(type.serviceManifest())
                        : loader.getResources(type.serviceManifest());
                if (!manifests.hasMoreElements()) {
                    continue;
                }
                any = true;
                for (String className : ServiceManifests.classNames(manifests)) {
                    addIfPlugin(className, loader, location, owner, List.of(type));
                }
            } catch (IOException e) {
                log.error("Could not read {} in {}", type.serviceManifest(), location, e);
            }
        }
        return any;
    }

    private void scanClasses(PluginClassLoader loader, List<Path> contents) throws IOException {
        for (String className : ClassFileScanner.classNames(contents)) {
            addIfPlugin(className, loader, loader.location(), loader, List.of(PluginType.values()));
        }
    }

    private void addIfPlugin(
            String className, ClassLoader loader, String location, ClassLoader owner, List<PluginType> types) {
        Class<?> candidate;
        try {
            candidate = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            log.debug("Skipping {} in {}: {}", className, location, e.toString());
            return;
        }
        if ((owner != null && candidate.getClassLoader() != owner) || !isInstantiable(candidate)) {
            return;
        }
        for (PluginType type : PluginType.typesOf(candidate)) {
            if (types.contains(type)) {
                PluginDescriptor descriptor =
                        new PluginDescriptor(className, type, PluginVersions.of(candidate), location);
                found.add(new LoadedPlugin(descriptor, candidate));
            }
        }
    }

    private static boolean isInstantiable(Class<?> candidate) {
        int modifiers = candidate.getModifiers();
        if (!Modifier.isPublic(modifiers) || Modifier.isAbstract(modifiers) || candidate.isInterface()) {
            return false;
        }
        if (candidate.getEnclosingClass() != null && !Modifier.isStatic(modifiers)) {
            return false;
        }
        try {
            return Modifier.isPublic(candidate.getDeclaredConstructor().getModifiers());
        } catch (NoSuchMethodException | LinkageError e) {
            return false;
        }
    }
}
