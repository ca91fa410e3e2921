package io.sluice.log.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.log.Golden;
import io.sluice.log.TopicPartition;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class OffsetCommitCodecGoldenTest {

    @Test
    void shouldKeepTheOffsetCommitKeyAndValueLayouts() throws IOException {
        TopicPartition tp = new TopicPartition("orders", 3);
        OffsetAndMetadata value = new OffsetAndMetadata(12345L, "sink-1", 1_700_000_000_000L);
        Golden.assertBytes("offset-commit-key.hex", ByteBuffer.wrap(OffsetCommitCodec.encodeKey("connect-s3", tp)));
        Golden.assertBytes("offset-commit-value.hex", ByteBuffer.wrap(OffsetCommitCodec.encodeValue(value)));
        assertThat(OffsetCommitCodec.decodeKey(
                        Golden.read("offset-commit-key.hex").array()))
                .isEqualTo(new OffsetCommitCodec.Key("connect-s3", tp));
        assertThat(OffsetCommitCodec.decodeValue(
                        Golden.read("offset-commit-value.hex").array()))
                .isEqualTo(value);
    }
}
