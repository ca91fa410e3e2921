package io.sluice.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Lists the class names contained in jars and class folders, for plugins that ship no service
 * manifests. Reads names only; loading is up to the caller. Stateless and thread-safe.
 */
final class ClassFileScanner {

    private static final String SUFFIX = ".class";

    private ClassFileScanner() {}

    static List<String> classNames(List<Path> jarsAndFolders) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path entry : jarsAndFolders) {
            if (Files.isDirectory(entry)) {
                addFolder(entry, names);
            } else {
                addJar(entry, names);
            }
        }
        return names;
    }

    private static void addFolder(Path folder, List<String> names) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            files.filter(f -> f.toString().endsWith(SUFFIX)).forEach(f -> {
                String relative = folder.relativize(f)
                        .toString()
                        .replace(f.getFileSystem().getSeparator(), "/");
                addIfClass(relative, names);
            });
        }
    }

    private static void addJar(Path jar, List<String> names) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (!entry.isDirectory()) {
                    addIfClass(entry.getName(), names);
                }
            }
        }
    }

    private static void addIfClass(String path, List<String> names) {
        if (!path.endsWith(SUFFIX)
                || path.startsWith("META-INF/")
                || path.endsWith("module-info.class")
                || path.endsWith("package-info.class")) {
            return;
        }
        names.add(path.substring(0, path.length() - SUFFIX.length()).replace('/', '.'));
    }
}
