package io.sluice.core.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * Loads one plugin's classes child-first: a class the plugin bundles wins over the hub's copy, so
 * two plugins (or a plugin and the hub) can carry different versions of the same library. Classes
 * that form the contract with the hub (JDK, SLF4J, Kafka clients, Connect API; see {@link
 * SharedClasses}) always come from the parent. Resources follow the same order, and {@link
 * #getResources} lists the plugin's before the parent's.
 *
 * <p>Thread-safe: registered as parallel capable, locking per class name.
 */
public final class PluginClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final String location;

    /**
     * @param location the plugin folder or jar, used in listings and error messages
     * @param urls the plugin's jars and class folders
     * @param parent the hub's class loader
     */
    public PluginClassLoader(String location, URL[] urls, ClassLoader parent) {
        super("plugin:" + location, urls, parent);
        this.location = Objects.requireNonNull(location, "location");
    }

    /** The plugin folder or jar this loader reads from. */
    public String location() {
        return location;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (SharedClasses.isShared(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    loaded = findClass(name);
                } catch (ClassNotFoundException notInPlugin) {
                    loaded = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        if (SharedClasses.isSharedResource(name)) {
            return super.getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        all.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(all);
    }

    @Override
    public String toString() {
        return "PluginClassLoader{" + location + "}";
    }
}
