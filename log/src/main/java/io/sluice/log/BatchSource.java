package io.sluice.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Where a repair by copy reads intact batches: another replica of the same partition, in offset order.
 * Implementations may block on the network.
 */
@FunctionalInterface
public interface BatchSource {

    /**
     * Encoded batches holding {@code offset} and what follows it, about {@code maxBytes} in all (at least
     * one batch); empty when the source has nothing there.
     *
     * @throws IOException when no source can serve the offset
     */
    List<ByteBuffer> fetch(long offset, int maxBytes) throws IOException;
}
