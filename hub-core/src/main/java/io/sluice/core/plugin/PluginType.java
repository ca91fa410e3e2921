package io.sluice.core.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * The kinds of plugin the hub can load, each identified by the Kafka interface or base class it
 * implements. Immutable and thread-safe.
 */
public enum PluginType {
    SOURCE(SourceConnector.class, "Connector"),
    SINK(SinkConnector.class, "Connector"),
    CONVERTER(Converter.class, "Converter"),
    HEADER_CONVERTER(HeaderConverter.class, "HeaderConverter"),
    TRANSFORMATION(Transformation.class, "Transformation"),
    PREDICATE(Predicate.class, "Predicate"),
    CONFIG_PROVIDER(ConfigProvider.class, "ConfigProvider");

    private final Class<?> superType;
    private final String aliasSuffix;

    PluginType(Class<?> superType, String aliasSuffix) {
        this.superType = superType;
        this.aliasSuffix = aliasSuffix;
    }

    /** The Kafka interface or base class a plugin of this type implements. */
    public Class<?> superType() {
        return superType;
    }

    /** The file name under {@code META-INF/services/} that lists plugins of this type. */
    public String serviceManifest() {
        return "META-INF/services/" + superType.getName();
    }

    /** The suffix dropped from a class's simple name to form its short alias. */
    public String aliasSuffix() {
        return aliasSuffix;
    }

    /** The lower-case name Kafka Connect's REST API uses, e.g. {@code header_converter}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every type the given class can serve as; empty if it is no plugin. */
    public static List<PluginType> typesOf(Class<?> candidate) {
        List<PluginType> types = new ArrayList<>();
        for (PluginType type : values()) {
            if (type.superType.isAssignableFrom(candidate)) {
                types.add(type);
            }
        }
        return types;
    }

    @Override
    public String toString() {
        return jsonName();
    }
}
