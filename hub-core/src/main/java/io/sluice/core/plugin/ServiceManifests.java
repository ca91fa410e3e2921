package io.sluice.core.plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code META-INF/services} provider-configuration files, the manifests of KIP-898, without
 * instantiating anything. Stateless and thread-safe.
 */
final class ServiceManifests {

    private ServiceManifests() {}

    /** Class names listed by every given manifest, in order, without duplicates. */
    static List<String> classNames(Enumeration<URL> manifests) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        while (manifests.hasMoreElements()) {
            names.addAll(read(manifests.nextElement()));
        }
        return new ArrayList<>(names);
    }

    private static List<String> read(URL manifest) throws IOException {
        URLConnection connection = manifest.openConnection();
        connection.setUseCaches(false); // a cached JarFile would stay open after the loader closes
        List<String> names = new ArrayList<>();
        try (InputStream in = connection.getInputStream();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                int comment = line.indexOf('#');
                String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
