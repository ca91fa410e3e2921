package io.sluice.core.extension;

import io.sluice.core.plugin.LoaderSwap;
import io.sluice.core.plugin.PluginNotFoundException;
import io.sluice.core.plugin.Plugins;
import io.sluice.core.validation.Preflight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.connector.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the {@link ConnectorExtension} of a connector class: through {@link ServiceLoader} with the
 * class loader of the connector's plugin, so a plugin's own extension (listed first by its loader)
 * wins, and the hub's built-in extensions are seen only as that plugin's loader sees them. Each
 * extension class is instantiated once, in its own class loader, and {@link
 * ConnectorExtension#init initialised} with the context given here.
 *
 * <p>Thread-safe. The first lookup through a class loader reads its service files and may block on
 * class loading; later lookups are map reads. An extension that cannot be loaded is logged and
 * skipped (the connector runs without it).
 */
public final class ConnectorExtensions {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorExtensions.class);

    private final Plugins plugins;
    private final ExtensionContext context;
    private final Map<ClassLoader, List<ConnectorExtension>> byLoader = new ConcurrentHashMap<>();
    private final Map<Class<?>, ConnectorExtension> instances = new ConcurrentHashMap<>();

    public ConnectorExtensions(Plugins plugins, ExtensionContext context) {
        this.plugins = plugins;
        this.context = context;
    }

    /**
     * The extension for connectors named {@code nameOrAlias} (a class name or alias, as in {@code
     * connector.class}); empty when no plugin has that connector or no extension applies to it.
     */
    public Optional<ConnectorExtension> forConnector(String nameOrAlias) {
        if (nameOrAlias == null || nameOrAlias.isBlank()) {
            return Optional.empty();
        }
        try {
            return forConnector(plugins.pluginClass(nameOrAlias, Connector.class));
        } catch (PluginNotFoundException unknownOrAmbiguous) {
            return Optional.empty();
        }
    }

    /** The extension for connectors of {@code connectorClass}, found through its class loader. */
    public Optional<ConnectorExtension> forConnector(Class<?> connectorClass) {
        ClassLoader loader = connectorClass.getClassLoader();
        if (loader == null) {
            return Optional.empty();
        }
        for (ConnectorExtension extension : byLoader.computeIfAbsent(loader, this::load)) {
            if (extension.appliesTo(connectorClass.getName())) {
                return Optional.of(extension);
            }
        }
        return Optional.empty();
    }

    /**
     * The preflight of the extension for the connector class named in a config being validated, as
     * {@link io.sluice.core.validation.ConnectorValidator} takes them.
     */
    public List<Preflight> preflights(String nameOrAlias) {
        return forConnector(nameOrAlias).flatMap(ConnectorExtension::preflight).stream()
                .toList();
    }

    private List<ConnectorExtension> load(ClassLoader loader) {
        List<ConnectorExtension> found = new ArrayList<>();
        try (LoaderSwap swap = LoaderSwap.to(loader)) {
            for (ServiceLoader.Provider<ConnectorExtension> provider :
                    ServiceLoader.load(ConnectorExtension.class, loader).stream()
                            .toList()) {
                ConnectorExtension extension = instances.computeIfAbsent(provider.type(), type -> create(provider));
                if (extension != null) {
                    found.add(extension);
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            LOG.warn("Connector extensions visible to {} could not be listed: {}", loader, e.toString());
        }
        return List.copyOf(found);
    }

    private ConnectorExtension create(ServiceLoader.Provider<ConnectorExtension> provider) {
        try (LoaderSwap swap = LoaderSwap.to(provider.type().getClassLoader())) {
            ConnectorExtension extension = provider.get();
            extension.init(context);
            LOG.info("Loaded connector extension {}", provider.type().getName());
            return extension;
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            LOG.warn(
                    "Connector extension {} could not be loaded; skipped: {}",
                    provider.type().getName(),
                    e.toString());
            return null;
        }
    }
}
