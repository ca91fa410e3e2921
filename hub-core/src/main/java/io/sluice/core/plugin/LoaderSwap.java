package io.sluice.core.plugin;

/**
 * Sets the current thread's context class loader for the span of a try-with-resources block and
 * restores the previous one on close.
 *
 * <pre>{@code
 * try (LoaderSwap ignored = LoaderSwap.to(connector.getClass().getClassLoader())) {
 *     connector.start(config);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: create, use and close it on one thread. Closing twice is harmless.
 */
public final class LoaderSwap implements AutoCloseable {

    private final Thread thread;
    private final ClassLoader previous;
    private boolean closed;

    private LoaderSwap(ClassLoader loader) {
        this.thread = Thread.currentThread();
        this.previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
    }

    /** Makes {@code loader} the current thread's context class loader until {@link #close()}. */
    public static LoaderSwap to(ClassLoader loader) {
        return new LoaderSwap(loader);
    }

    /** Makes the loader that defined {@code plugin}'s class the context class loader. */
    public static LoaderSwap toLoaderOf(Object plugin) {
        return new LoaderSwap(plugin.getClass().getClassLoader());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException(
                    "LoaderSwap closed on " + Thread.currentThread().getName() + " but opened on " + thread.getName());
        }
        thread.setContextClassLoader(previous);
        closed = true;
    }
}
