package io.sluice.core.plugin;

/**
 * Resolves a plugin's class name to the class its own plugin loader defined; every other name goes
 * to the hub's loader. It defines no classes itself. Thread-safe.
 */
final class RoutingClassLoader extends ClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final Plugins plugins;

    RoutingClassLoader(Plugins plugins, ClassLoader hubLoader) {
        super("sluice-plugins", hubLoader);
        this.plugins = plugins;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        Class<?> pluginClass = plugins.classNamed(name).orElse(null);
        if (pluginClass != null) {
            return pluginClass;
        }
        return super.loadClass(name, resolve);
    }
}
