package io.sluice.connect.s3.format;

import org.apache.kafka.connect.data.Schema;

/** An object format: its file name extension, content type and writers. Thread-safe. */
public sealed interface Format permits JsonFormat, ParquetFormat {

    /** Extension including the dot, e.g. {@code .json.gz} or {@code .snappy.parquet}. */
    String extension();

    String contentType();

    /** A writer for a new object whose first record has this value schema (null: schemaless). */
    ObjectWriter newObject(Schema valueSchema);
}
