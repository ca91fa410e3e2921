package io.sluice.worker.testconnectors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Task of {@link LargeRecordSinkConnector}. */
public class LargeRecordSinkTask extends SinkTask {

    private FileChannel out;

    @Override
    public void start(Map<String, String> props) {
        try {
            out = FileChannel.open(
                    Path.of(props.get("file")),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            out.truncate(endOfLastLine(out)); // a line torn by a killed worker
            out.position(out.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long endOfLastLine(FileChannel file) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        for (long at = file.size() - 1; at >= 0; at--) {
            one.clear();
            file.read(one, at);
            if (one.get(0) == '\n') {
                return at + 1;
            }
        }
        return 0;
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (SinkRecord r : records) {
            long n = r.value() instanceof String s ? LargeRecords.check(s) : -1;
            lines.append(n >= 0 ? Long.toString(n) : "BAD " + r.kafkaOffset()).append('\n');
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String version() {
        return "1.0-test";
    }
}
