package io.sluice.connect.s3.format;

import io.sluice.connect.s3.upload.ObjectBuffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * JSON lines: one record value per line (see {@link JsonEncoder}), optionally gzip-compressed
 * ({@code .json.gz}). Records of any schema, or none, may share an object.
 */
public record JsonFormat(boolean gzip) implements Format {

    @Override
    public String extension() {
        return gzip ? ".json.gz" : ".json";
    }

    @Override
    public String contentType() {
        return gzip ? "application/gzip" : "application/x-ndjson";
    }

    @Override
    public ObjectWriter newObject(Schema valueSchema) {
        return new Writer(gzip);
    }

    private static final class Writer implements ObjectWriter {
        private final ObjectBuffer buffer = new ObjectBuffer();
        private final JsonEncoder encoder = new JsonEncoder();
        private final OutputStream out;

        Writer(boolean gzip) {
            try {
                out = gzip ? new GzipStream(buffer) : buffer;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean accepts(Schema valueSchema) {
            return true;
        }

        @Override
        public void write(SinkRecord record) {
            encoder.encodeLine(record.valueSchema(), record.value());
            try {
                out.write(encoder.buffer(), 0, encoder.length());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public long bufferedBytes() {
            return buffer.capacity();
        }

        @Override
        public ObjectBuffer finish() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer;
        }

        @Override
        public void discard() {
            buffer.release();
        }
    }

    /** gzip at a fast level: JSON lines compress well even so, and the task stays CPU-cheap. */
    private static final class GzipStream extends GZIPOutputStream {
        GzipStream(OutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
