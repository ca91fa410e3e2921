package io.sluice.core.plugin;

import io.sluice.core.plugin.Plugins.LoadedPlugin;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers plugins on the hub's classpath and under a plugin path.
 *
 * <p>On the classpath, plugins are found through {@code META-INF/services} manifests only (Kafka's
 * own jars ship them). Under each plugin path folder, every direct child is one plugin: a folder
 * (its class files and every jar beneath it) or a jar. Each gets its own {@link
 * PluginClassLoader}, and the JDBC drivers it bundles are registered with {@link DriverManager},
 * as Kafka Connect does, so a plugin's {@code DriverManager.getConnection} finds them. How a
 * plugin's classes are found follows {@link PluginDiscovery}.
 *
 * <p>A plugin that cannot be read or whose declared classes cannot be loaded is skipped and
 * reported in {@link Plugins#problems()}; the other plugins still load.
 *
 * <p>Blocking (reads files, loads classes, instantiates {@code Versioned} plugins to read their
 * version). Not thread-safe; use one scanner per scan.
 */
public final class PluginScanner {

    private static final Logger log = LoggerFactory.getLogger(PluginScanner.class);

    private final ClassLoader hubLoader;
    private final PluginDiscovery discovery;
    private final List<LoadedPlugin> found = new ArrayList<>();
    private final List<PluginClassLoader> loaders = new ArrayList<>();
    private final List<PluginProblem> problems = new ArrayList<>();

    private PluginScanner(ClassLoader hubLoader, PluginDiscovery discovery) {
        this.hubLoader = hubLoader;
        this.discovery = discovery;
    }

    /** Scans the classpath of the class loader that loaded the hub, and {@code pluginPath}. */
    public static Plugins scan(List<Path> pluginPath) {
        return scan(pluginPath, PluginDiscovery.HYBRID_WARN, PluginScanner.class.getClassLoader());
    }

    /** Scans with Kafka Connect's default discovery, {@link PluginDiscovery#HYBRID_WARN}. */
    public static Plugins scan(List<Path> pluginPath, ClassLoader hubLoader) {
        return scan(pluginPath, PluginDiscovery.HYBRID_WARN, hubLoader);
    }

    /**
     * Scans {@code hubLoader}'s manifests and every plugin under each {@code pluginPath} folder.
     * Missing plugin path folders are skipped with a warning; an unreadable plugin is skipped and
     * reported, and the rest still load.
     *
     * @throws IllegalStateException with {@link PluginDiscovery#HYBRID_FAIL}, if a plugin class is
     *     found that no service manifest lists
     */
    public static Plugins scan(List<Path> pluginPath, PluginDiscovery discovery, ClassLoader hubLoader) {
        PluginScanner scanner = new PluginScanner(hubLoader, discovery);
        scanner.scanManifests(hubLoader, PluginDescriptor.CLASSPATH, null);
        for (Path folder : pluginPath) {
            scanner.scanPluginPathFolder(folder);
        }
        scanner.failOnMissingManifests();
        log.info(
                "Found {} plugins in {} plugin locations (plugin.discovery={}, {} problems)",
                scanner.found.size(),
                scanner.loaders.size(),
                discovery,
                scanner.problems.size());
        return new Plugins(scanner.found, scanner.loaders, hubLoader, scanner.problems);
    }

    private void failOnMissingManifests() {
        if (discovery != PluginDiscovery.HYBRID_FAIL) {
            return;
        }
        List<String> unlisted = problems.stream()
                .filter(p -> p.severity() == PluginProblem.Severity.WARNING && p.className() != null)
                .map(p -> p.className() + " in " + p.location())
                .toList();
        if (!unlisted.isEmpty()) {
            throw new IllegalStateException("plugin.discovery=hybrid_fail: these plugin classes have no service"
                    + " manifest (META-INF/services): " + unlisted
                    + "; add manifests to the plugins or set plugin.discovery=hybrid_warn");
        }
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
            problems.add(PluginProblem.error(folder.toString(), null, e));
        }
    }

    private void scanPlugin(Path plugin) {
        String name = plugin.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean isArchive = Files.isRegularFile(plugin) && (name.endsWith(".jar") || name.endsWith(".zip"));
        if (!isArchive && !Files.isDirectory(plugin)) {
            return;
        }
        String location = plugin.toString();
        int before = found.size();
        try {
            List<Path> contents = isArchive ? List.of(plugin) : folderContents(plugin);
            PluginClassLoader loader = new PluginClassLoader(location, toUrls(contents), hubLoader);
            loaders.add(loader);
            registerJdbcDrivers(loader);
            boolean hasManifests = discovery != PluginDiscovery.ONLY_SCAN && scanManifests(loader, location, loader);
            if (discovery == PluginDiscovery.ONLY_SCAN) {
                scanClasses(loader, contents, false);
            } else if (!hasManifests && discovery == PluginDiscovery.SERVICE_LOAD) {
                problems.add(new PluginProblem(
                        location,
                        null,
                        PluginProblem.Severity.WARNING,
                        "ships no service manifests (META-INF/services), so plugin.discovery=service_load loads"
                                + " nothing from it"));
            } else if (!hasManifests) {
                scanClasses(loader, contents, true);
            }
            log.info(
                    "Loaded plugin {} with {} plugin classes ({})",
                    plugin,
                    found.size() - before,
                    hasManifests ? "service manifests" : "class scan");
        } catch (IOException | RuntimeException | LinkageError | ServiceConfigurationError e) {
            found.subList(before, found.size()).clear();
            log.error("Could not load plugin {}; skipped: {}", plugin, PluginProblem.describe(e));
            problems.add(PluginProblem.error(location, null, e));
        }
    }

    /**
     * Instantiates every JDBC driver the plugin bundles; a JDBC 4 driver registers itself with
     * {@link DriverManager} when its class initializes, and DriverManager later hands it only to
     * callers whose class loader sees that same class, i.e. to this plugin.
     */
    private void registerJdbcDrivers(PluginClassLoader loader) {
        Iterator<Driver> drivers = ServiceLoader.load(Driver.class, loader).iterator();
        while (true) {
            try {
                if (!drivers.hasNext()) {
                    return;
                }
                Driver driver = drivers.next();
                if (driver.getClass().getClassLoader() == loader) {
                    log.info(
                            "Registered JDBC driver {} of plugin {}",
                            driver.getClass().getName(),
                            loader.location());
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                log.warn("Could not load a JDBC driver of plugin {}: {}", loader.location(), e.toString());
                problems.add(PluginProblem.error(loader.location(), null, e));
            }
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
                    addIfPlugin(className, loader, location, owner, List.of(type), true);
                }
            } catch (IOException e) {
                log.error("Could not read {} in {}", type.serviceManifest(), location, e);
            }
        }
        return any;
    }

    /**
     * Scans every class of the plugin; with {@code warnUnlisted}, each plugin class found is
     * reported as lacking a manifest.
     */
    private void scanClasses(PluginClassLoader loader, List<Path> contents, boolean warnUnlisted) throws IOException {
        for (String className : ClassFileScanner.classNames(contents)) {
            int before = found.size();
            addIfPlugin(className, loader, loader.location(), loader, List.of(PluginType.values()), false);
            if (warnUnlisted && found.size() > before) {
                log.warn(
                        "Plugin class {} in {} is not listed in a service manifest (META-INF/services);"
                                + " plugin.discovery=service_load would not find it",
                        className,
                        loader.location());
                problems.add(new PluginProblem(
                        loader.location(),
                        className,
                        PluginProblem.Severity.WARNING,
                        "found by class scan only: no service manifest (META-INF/services) lists it, so"
                                + " plugin.discovery=service_load would not load it"));
            }
        }
    }

    /**
     * Adds {@code className} if it is a plugin; a {@code declared} class (listed in a manifest)
     * that cannot be loaded is reported, an undeclared one (met while scanning) only logged.
     */
    private void addIfPlugin(
            String className,
            ClassLoader loader,
            String location,
            ClassLoader owner,
            List<PluginType> types,
            boolean declared) {
        Class<?> candidate;
        try {
            candidate = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            if (declared) {
                log.error("Plugin class {} listed in {} could not be loaded: {}", className, location, e.toString());
                problems.add(PluginProblem.error(location, className, e));
            } else {
                log.debug("Skipping {} in {}: {}", className, location, e.toString());
            }
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
