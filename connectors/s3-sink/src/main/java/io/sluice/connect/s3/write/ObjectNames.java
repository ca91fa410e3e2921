package io.sluice.connect.s3.write;

import org.apache.kafka.common.TopicPartition;

/**
 * Object keys, as Confluent's S3 sink names them: {@code
 * <topics.dir>/<topic>/<encoded partition>/<topic>+<partition>+<start offset>.<ext>}, the start
 * offset zero-padded to 10 digits. The name depends only on where the object's first record sits
 * in its topic partition, so rewriting the same records gives the same key.
 */
public record ObjectNames(String topicsDir, String extension) {

    public ObjectNames {
        topicsDir = trimSlashes(topicsDir);
    }

    /**
     * @param folderTopic the topic as the record carries it (after any renaming transform), for the folder
     * @param source the topic partition the record was read from, for the file name
     */
    public String key(String folderTopic, String encodedPartition, TopicPartition source, long startOffset) {
        StringBuilder key = new StringBuilder(96);
        if (!topicsDir.isEmpty()) {
            key.append(topicsDir).append('/');
        }
        key.append(folderTopic).append('/').append(encodedPartition).append('/');
        key.append(source.topic()).append('+').append(source.partition()).append('+');
        String offset = Long.toString(startOffset);
        for (int i = offset.length(); i < 10; i++) {
            key.append('0');
        }
        return key.append(offset).append(extension).toString();
    }

    private static String trimSlashes(String dir) {
        String d = dir.trim();
        while (d.startsWith("/")) {
            d = d.substring(1);
        }
        while (d.endsWith("/")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }
}
