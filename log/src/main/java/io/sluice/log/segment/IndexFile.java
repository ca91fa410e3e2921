package io.sluice.log.segment;

import io.sluice.log.format.IndexHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes the raw bytes of an index file: header plus fixed-size entries. New entries are
 * appended; after a truncation the whole file is rewritten through a temporary file and a rename.
 */
final class IndexFile {

    private IndexFile() {}

    /** Entry bytes of a valid index file, or {@code null} when the file is missing or damaged. */
    static ByteBuffer readEntries(Path file, int magic, int entrySize, long baseOffset) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
            IndexHeader header = IndexHeader.decodeOrNull(all);
            if (header == null
                    || header.magic() != magic
                    || header.entrySize() != entrySize
                    || header.baseOffset() != baseOffset
                    || (all.remaining() - IndexHeader.SIZE) % entrySize != 0) {
                return null;
            }
            all.position(IndexHeader.SIZE);
            return all.slice();
        } catch (IOException e) {
            return null;
        }
    }

    static void append(Path file, IndexHeader header, ByteBuffer entries) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size < IndexHeader.SIZE) {
                ch.truncate(0);
                ch.write(header.encode(), 0);
                size = IndexHeader.SIZE;
            }
            long pos = size;
            while (entries.hasRemaining()) {
                pos += ch.write(entries, pos);
            }
        }
    }

    static void rewrite(Path file, IndexHeader header, ByteBuffer entries) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(header.encode());
            while (entries.hasRemaining()) {
                ch.write(entries);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
