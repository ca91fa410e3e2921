package io.sluice.log.replication;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * What a partition replica's Raft snapshot holds besides the partition log itself (which is forced to
 * disk before the snapshot is written): the log end at the snapshot index and the fencing state.
 *
 * <p>File: magic int32 {@code 0x534c5231} ("SLR1"), log end int64, producer count int32, then producer
 * id int64 and epoch int32 per producer, then CRC32C int32 of everything before it. Written through a
 * temporary file, forced, then renamed.
 */
record PartitionSnapshot(long endOffset, Map<Long, Integer> epochs) {

    private static final int MAGIC = 0x534c5231;

    void write(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 4 + epochs.size() * 12 + 4);
        b.putInt(MAGIC).putLong(endOffset).putInt(epochs.size());
        epochs.forEach((id, epoch) -> b.putLong(id).putInt(epoch));
        b.putInt(crc(b.array(), b.position()));
        b.flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static PartitionSnapshot read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (bytes.length < 20 || b.getInt() != MAGIC) {
            throw new IOException("replication snapshot " + file + " is not a partition snapshot");
        }
        if (b.getInt(bytes.length - 4) != crc(bytes, bytes.length - 4)) {
            throw new IOException("replication snapshot " + file + " fails its CRC check");
        }
        long end = b.getLong();
        int n = b.getInt();
        Map<Long, Integer> epochs = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            epochs.put(b.getLong(), b.getInt());
        }
        return new PartitionSnapshot(end, epochs);
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C c = new CRC32C();
        c.update(bytes, 0, length);
        return (int) c.getValue();
    }
}
