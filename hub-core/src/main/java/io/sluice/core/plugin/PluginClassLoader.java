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
 * #getResources} lists the plugin's before the parent's; service files of a service type the
 * plugin bundles are the plugin's alone, so its {@code ServiceLoader} never meets the hub's
 * providers of another copy of that type (nor does the hub's ever meet the plugin's).
 *
 * <p>Thread-safe: registered as parallel capable, locking per class name.
 */
public final class PluginClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final String SERVICES = "META-INF/services/";

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

    /**
     * The plugin's resources, then the hub's, except for the service files of a service type the
     * plugin defines itself: those list only the plugin's own providers, since the hub's providers
     * implement the hub's copy of that type and a {@code ServiceLoader} would refuse them.
     */
    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        if (!isOwnServiceType(name)) {
            all.addAll(Collections.list(getParent().getResources(name)));
        }
        return Collections.enumeration(all);
    }

    private boolean isOwnServiceType(String resourceName) {
        if (!resourceName.startsWith(SERVICES) || resourceName.length() == SERVICES.length()) {
            return false;
        }
        String serviceType = resourceName.substring(SERVICES.length());
        return !SharedClasses.isShared(serviceType) && findResource(serviceType.replace('.', '/') + ".class") != null;
    }

    @Override
    public String toString() {
        return "PluginClassLoader{" + location + "}";
    }
}
