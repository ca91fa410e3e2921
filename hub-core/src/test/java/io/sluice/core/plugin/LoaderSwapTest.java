package io.sluice.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

class LoaderSwapTest {

    private final ClassLoader other = new URLClassLoader(new URL[0], null);

    @Test
    void shouldSetContextLoaderInsideTheBlockAndRestoreItAfter() {
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        try (LoaderSwap ignored = LoaderSwap.to(other)) {
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(other);
        }

        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void shouldRestoreContextLoaderWhenTheBlockThrows() {
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        assertThatThrownBy(() -> {
                    try (LoaderSwap ignored = LoaderSwap.to(other)) {
                        throw new IllegalStateException("plugin failed");
                    }
                })
                .hasMessage("plugin failed");

        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void shouldRestoreOuterSwapWhenNested() {
        ClassLoader inner = new URLClassLoader(new URL[0], null);
        try (LoaderSwap outerSwap = LoaderSwap.to(other)) {
            try (LoaderSwap innerSwap = LoaderSwap.to(inner)) {
                assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(inner);
            }
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(other);
        }
    }
}
