package io.sluice.core.plugin;

import java.util.Comparator;
import org.apache.kafka.connect.components.Versioned;

/**
 * Works out a plugin's version and orders versions. Stateless and thread-safe; {@link #of} creates
 * (and discards) one instance of the plugin class.
 */
final class PluginVersions {

    /** Orders versions by their numeric parts first ({@code 1.10 > 1.9}), then by text. */
    static final Comparator<String> ORDER = PluginVersions::compare;

    private PluginVersions() {}

    /**
     * {@code Versioned.version()} of a fresh instance if the class implements it and reports
     * something other than {@code undefined}; else the jar's {@code Implementation-Version}; else
     * {@code undefined}.
     */
    static String of(Class<?> pluginClass) {
        if (Versioned.class.isAssignableFrom(pluginClass)) {
            String declared = declaredVersion(pluginClass);
            if (declared != null && !declared.isBlank() && !PluginDescriptor.UNDEFINED_VERSION.equals(declared)) {
                return declared;
            }
        }
        Package pkg = pluginClass.getPackage();
        String jarVersion = pkg == null ? null : pkg.getImplementationVersion();
        return jarVersion == null ? PluginDescriptor.UNDEFINED_VERSION : jarVersion;
    }

    private static String declaredVersion(Class<?> pluginClass) {
        try (LoaderSwap ignored = LoaderSwap.to(pluginClass.getClassLoader())) {
            Object instance = pluginClass.getDeclaredConstructor().newInstance();
            return ((Versioned) instance).version();
        } catch (ReflectiveOperationException
                | RuntimeException
                | LinkageError
                | java.util.ServiceConfigurationError e) {
            return null;
        }
    }

    private static int compare(String a, String b) {
        String[] left = a.split("[^0-9]+");
        String[] right = b.split("[^0-9]+");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int cmp = compareNumbers(left[i], right[i]);
            if (cmp != 0) {
                return cmp;
            }
        }
        int byLength = Integer.compare(left.length, right.length);
        return byLength != 0 ? byLength : a.compareTo(b);
    }

    private static int compareNumbers(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.compareTo(b);
        }
        String x = a.replaceFirst("^0+(?=.)", "");
        String y = b.replaceFirst("^0+(?=.)", "");
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }
}
