package io.sluice.core.extension;

/**
 * What the hub offers a {@link ConnectorExtension}. Given once, in {@link ConnectorExtension#init}.
 * Thread-safe.
 */
public interface ExtensionContext {

    /** The worker's gauges, tagged by connector. */
    Gauges gauges();

    /** A context whose gauges go nowhere, for tests and tools. */
    static ExtensionContext none() {
        return () -> Gauges.NONE;
    }
}
