package io.sluice.connect.s3.upload;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one object being built in memory, in growing chunks (16 KiB doubling up to 4 MiB) so
 * neither small nor large objects are copied when they grow. Written once by a format writer, then
 * read any number of times by uploads (whole, or in part-sized slices for multipart uploads).
 *
 * <p>Not thread-safe for writing; reading through {@link #open(long, long)} is safe once writing is
 * finished.
 */
public final class ObjectBuffer extends OutputStream {

    private static final int MIN_CHUNK = 16 * 1024;
    private static final int MAX_CHUNK = 4 * 1024 * 1024;

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current;
    private int position;
    private long size;
    private long capacity;

    @Override
    public void write(int b) {
        if (current == null || position == current.length) {
            grow();
        }
        current[position++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (current == null || position == current.length) {
                grow();
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(bytes, offset, current, position, n);
            position += n;
            offset += n;
            length -= n;
            size += n;
        }
    }

    private void grow() {
        int next = (int) Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, capacity));
        current = new byte[next];
        chunks.add(current);
        position = 0;
        capacity += next;
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    /** Bytes of memory held, written or not: what counts against the task's buffer cap. */
    public long capacity() {
        return capacity;
    }

    /** Drops the chunks; the buffer is empty afterwards. */
    public void release() {
        chunks.clear();
        current = null;
        position = 0;
        size = 0;
        capacity = 0;
    }

    /** A stream over {@code length} bytes starting at {@code offset}; each call opens a new one. */
    public InputStream open(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IndexOutOfBoundsException("slice " + offset + "+" + length + " of " + size);
        }
        return new Slice(offset, length);
    }

    private final class Slice extends InputStream {
        private long offset;
        private long remaining;

        Slice(long offset, long length) {
            this.offset = offset;
            this.remaining = length;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            byte[] one = new byte[1];
            read(one, 0, 1);
            return one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int at, int length) {
            if (remaining == 0) {
                return -1;
            }
            int done = 0;
            while (done < length && remaining > 0) {
                // chunk sizes double from MIN_CHUNK, so locate the chunk by walking: few chunks per object
                long start = 0;
                int index = 0;
                while (start + chunks.get(index).length <= offset) {
                    start += chunks.get(index).length;
                    index++;
                }
                byte[] chunk = chunks.get(index);
                int within = (int) (offset - start);
                int n = (int) Math.min(Math.min(length - done, chunk.length - within), remaining);
                System.arraycopy(chunk, within, into, at + done, n);
                done += n;
                offset += n;
                remaining -= n;
            }
            return done;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, remaining);
        }
    }
}
