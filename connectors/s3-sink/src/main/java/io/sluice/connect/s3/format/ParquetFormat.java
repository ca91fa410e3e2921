package io.sluice.connect.s3.format;

import io.sluice.connect.s3.upload.ObjectBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Parquet objects ({@code .snappy.parquet}, {@code .zstd.parquet}, {@code .parquet}), schema from
 * the first record's Connect value schema (see {@link ParquetSchemas}); a record with another
 * schema needs a new object. Values must be Structs.
 */
public final class ParquetFormat implements Format {

    private static final int ROW_GROUP_BYTES = 32 * 1024 * 1024;
    private static final int PAGE_BYTES = 1024 * 1024;

    private final CompressionCodecName codec;
    // no default resources: nothing to read from the classpath, and Hadoop's XML parsing is slow
    private final Configuration hadoopConf = new Configuration(false);

    public ParquetFormat(String codec) {
        this.codec = switch (codec.toLowerCase(Locale.ROOT)) {
            case "none" -> CompressionCodecName.UNCOMPRESSED;
            case "snappy" -> CompressionCodecName.SNAPPY;
            case "zstd" -> CompressionCodecName.ZSTD;
            default -> throw new IllegalArgumentException("unsupported parquet.codec " + codec);
        };
    }

    @Override
    public String extension() {
        return codec.getExtension() + ".parquet";
    }

    @Override
    public String contentType() {
        return "application/vnd.apache.parquet";
    }

    @Override
    public ObjectWriter newObject(Schema valueSchema) {
        MessageType messageType = ParquetSchemas.messageType(valueSchema);
        ObjectBuffer buffer = new ObjectBuffer();
        try {
            ParquetWriter<Struct> writer = new Builder(new BufferOutputFile(buffer), messageType)
                    .withConf(hadoopConf)
                    .withCompressionCodec(codec)
                    .withRowGroupSize((long) ROW_GROUP_BYTES)
                    .withPageSize(PAGE_BYTES)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .build();
            return new Writer(valueSchema, buffer, writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Struct, Builder> {
        private final MessageType messageType;

        Builder(OutputFile file, MessageType messageType) {
            super(file);
            this.messageType = messageType;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Struct> getWriteSupport(Configuration conf) {
            return new StructWriteSupport(messageType);
        }
    }

    private static final class Writer implements ObjectWriter {
        private final Schema schema;
        private final ObjectBuffer buffer;
        private final ParquetWriter<Struct> writer;

        Writer(Schema schema, ObjectBuffer buffer, ParquetWriter<Struct> writer) {
            this.schema = schema;
            this.buffer = buffer;
            this.writer = writer;
        }

        @Override
        public boolean accepts(Schema valueSchema) {
            return valueSchema == schema || schema.equals(valueSchema);
        }

        @Override
        public void write(SinkRecord record) {
            if (!(record.value() instanceof Struct struct)) {
                throw new DataException("Parquet needs Struct values; " + record.topic() + "-"
                        + record.kafkaPartition() + "@" + record.kafkaOffset() + " has a "
                        + record.value().getClass().getSimpleName());
            }
            try {
                writer.write(struct);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public long bufferedBytes() {
            // written row groups are in the buffer; the open row group is in the column writers
            return buffer.capacity() + Math.max(0, writer.getDataSize() - buffer.size());
        }

        @Override
        public ObjectBuffer finish() {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer;
        }

        @Override
        public void discard() {
            try {
                writer.close();
            } catch (IOException | RuntimeException e) {
                // dropping the object anyway: nothing to report
            }
            buffer.release();
        }
    }
}
