package io.sluice.connect.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/** Reads objects back as a query engine would: JSON lines with Jackson, Parquet with parquet-java. */
final class ObjectContents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ObjectContents() {}

    static List<JsonNode> jsonLines(byte[] object, boolean gzip) {
        try (InputStream in =
                gzip ? new GZIPInputStream(new ByteArrayInputStream(object)) : new ByteArrayInputStream(object)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<JsonNode> rows = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    rows.add(JSON.readTree(line));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record ParquetFile(MessageType schema, List<Group> rows) {}

    static ParquetFile parquet(byte[] object) {
        try {
            Path file = Files.createTempFile("s3-sink-test", ".parquet");
            try {
                Files.write(file, object);
                try (ParquetFileReader reader = ParquetFileReader.open(
                        new LocalInputFile(file), ParquetReadOptions.builder().build())) {
                    MessageType schema = reader.getFooter().getFileMetaData().getSchema();
                    List<Group> rows = new ArrayList<>();
                    PageReadStore pages;
                    while ((pages = reader.readNextRowGroup()) != null) {
                        RecordReader<Group> records = new ColumnIOFactory()
                                .getColumnIO(schema)
                                .getRecordReader(pages, new GroupRecordConverter(schema));
                        for (long i = 0; i < pages.getRowCount(); i++) {
                            rows.add(records.read());
                        }
                    }
                    return new ParquetFile(schema, rows);
                }
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
