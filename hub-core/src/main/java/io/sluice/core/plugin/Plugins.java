package io.sluice.core.plugin;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins the hub knows: lists them, finds one by class name or alias, and instantiates it in
 * its own class loader. Built by {@link PluginScanner}.
 *
 * <p>A plugin is found by its fully qualified class name, its simple name, or its simple name
 * without the type suffix ({@code Connector}, {@code Converter}, {@code Transformation}, ...), as
 * Kafka Connect allows. An alias that matches several classes is refused with the candidates
 * listed. When one class exists in several plugins the highest version wins, and on equal versions
 * the plugin path's copy wins over the hub's built-in one.
 *
 * <p>Thread-safe and immutable once built. {@link #close()} closes the plugin class loaders; call
 * it only when no plugin instance is in use any more.
 */
public final class Plugins implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(Plugins.class);

    /** Kafka runtime classes and the hub's stand-ins, used when connect-runtime is not on the classpath. */
    private static final Map<String, String> SUBSTITUTES = Map.of(
            "org.apache.kafka.connect.converters.ByteArrayConverter", "io.sluice.core.convert.ByteArrayConverter");

    /**
     * Which copy of a class wins: the highest version, and on a tie the plugin path's over the
     * hub's own, so a plugin a user installs replaces the built-in one of the same version.
     */
    private static final Comparator<LoadedPlugin> PREFERENCE = Comparator.<LoadedPlugin, String>comparing(
                    p -> p.descriptor().version(), PluginVersions.ORDER)
            .thenComparing(p -> !p.descriptor().location().equals(PluginDescriptor.CLASSPATH));

    private final List<LoadedPlugin> plugins;
    private final List<PluginClassLoader> loaders;
    private final ClassLoader hubLoader;
    private final ClassLoader routingLoader;
    private final List<PluginProblem> problems;

    Plugins(
            List<LoadedPlugin> plugins,
            List<PluginClassLoader> loaders,
            ClassLoader hubLoader,
            List<PluginProblem> problems) {
        this.plugins = List.copyOf(plugins);
        this.loaders = List.copyOf(loaders);
        this.hubLoader = hubLoader;
        this.routingLoader = new RoutingClassLoader(this, hubLoader);
        this.problems = List.copyOf(problems);
    }

    /**
     * What went wrong or looked odd while loading plugins: plugins or classes that could not be
     * loaded (and are absent from {@link #list()}), and plugin classes without a service manifest.
     */
    public List<PluginProblem> problems() {
        return problems;
    }

    /** A discovered plugin class and how it is listed. */
    record LoadedPlugin(PluginDescriptor descriptor, Class<?> pluginClass) {}

    /** Every plugin, sorted by type then class name. */
    public List<PluginDescriptor> list() {
        return plugins.stream()
                .map(LoadedPlugin::descriptor)
                .sorted(Comparator.comparing(PluginDescriptor::type).thenComparing(PluginDescriptor::className))
                .toList();
    }

    /** The plugins of the given types, sorted by type then class name. */
    public List<PluginDescriptor> list(PluginType... types) {
        List<PluginType> wanted = Arrays.asList(types);
        return list().stream().filter(p -> wanted.contains(p.type())).toList();
    }

    /**
     * The plugin implementing {@code superType} named {@code nameOrAlias}.
     *
     * @throws PluginNotFoundException if an alias is ambiguous
     */
    public Optional<PluginDescriptor> find(String nameOrAlias, Class<?> superType) {
        return findLoaded(nameOrAlias, superType).map(LoadedPlugin::descriptor);
    }

    /**
     * The class of the plugin implementing {@code superType} named {@code nameOrAlias}.
     *
     * @throws PluginNotFoundException if none or several match
     */
    public <T> Class<? extends T> pluginClass(String nameOrAlias, Class<T> superType) {
        LoadedPlugin found = findLoaded(nameOrAlias, superType)
                .orElseThrow(() -> new PluginNotFoundException(notFoundMessage(nameOrAlias, superType)));
        return found.pluginClass().asSubclass(superType);
    }

    /**
     * A new instance of the named plugin, constructed with the plugin's class loader as the thread
     * context class loader. The caller configures it (inside a {@link LoaderSwap}) and closes it.
     *
     * @throws PluginNotFoundException if none or several match
     * @throws org.apache.kafka.connect.errors.ConnectException if the constructor fails
     */
    public <T> T newInstance(String nameOrAlias, Class<T> superType) {
        return newInstance(pluginClass(nameOrAlias, superType));
    }

    /** A new instance of {@code pluginClass}, constructed with its own loader as context loader. */
    public static <T> T newInstance(Class<? extends T> pluginClass) {
        try (LoaderSwap ignored = LoaderSwap.to(pluginClass.getClassLoader())) {
            return pluginClass.getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new PluginNotFoundException("Could not instantiate " + pluginClass.getName(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new PluginNotFoundException("Could not instantiate " + pluginClass.getName(), e);
        }
    }

    /**
     * A class loader that resolves plugin class names to the plugin's own loader and anything else
     * through the hub's loader. Set it as context loader while Kafka code parses {@code CLASS}
     * configs so that plugin classes are found.
     */
    public ClassLoader classLoader() {
        return routingLoader;
    }

    /** The class loader of the hub itself, parent of every plugin loader. */
    public ClassLoader hubLoader() {
        return hubLoader;
    }

    Optional<Class<?>> classNamed(String className) {
        return plugins.stream()
                .filter(p -> p.descriptor().className().equals(className))
                .max(PREFERENCE)
                .map(LoadedPlugin::pluginClass);
    }

    private Optional<LoadedPlugin> findLoaded(String nameOrAlias, Class<?> superType) {
        if (nameOrAlias == null || nameOrAlias.isBlank()) {
            return Optional.empty();
        }
        String name = nameOrAlias.trim();
        if (SUBSTITUTES.containsKey(name)
                && plugins.stream().noneMatch(p -> p.descriptor().className().equals(name))) {
            return findLoaded(SUBSTITUTES.get(name), superType);
        }
        List<LoadedPlugin> candidates = plugins.stream()
                .filter(p -> superType.isAssignableFrom(p.pluginClass()))
                .toList();
        Optional<LoadedPlugin> exact = newest(candidates.stream()
                .filter(p -> p.descriptor().className().equals(name))
                .toList());
        if (exact.isPresent()) {
            return exact;
        }
        List<LoadedPlugin> byAlias = candidates.stream()
                .filter(p -> p.descriptor().simpleName().equals(name)
                        || p.descriptor().prunedName().equals(name))
                .toList();
        List<String> classNames = byAlias.stream()
                .map(p -> p.descriptor().className())
                .distinct()
                .sorted()
                .toList();
        if (classNames.size() > 1) {
            throw new PluginNotFoundException("Alias '" + name + "' is ambiguous, it matches " + classNames
                    + "; use the fully qualified class name");
        }
        return newest(byAlias);
    }

    private static Optional<LoadedPlugin> newest(List<LoadedPlugin> sameClass) {
        return sameClass.stream().max(PREFERENCE);
    }

    private String notFoundMessage(String nameOrAlias, Class<?> superType) {
        String known = plugins.stream()
                .filter(p -> superType.isAssignableFrom(p.pluginClass()))
                .map(p -> p.descriptor().className())
                .distinct()
                .sorted()
                .collect(Collectors.joining(", "));
        return "No " + superType.getSimpleName() + " plugin named '" + nameOrAlias + "'; known: [" + known + "]";
    }

    @Override
    public void close() {
        List<IOException> failures = new ArrayList<>();
        for (PluginClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            log.warn("Could not close {} plugin class loaders", failures.size(), failures.get(0));
        }
    }
}
