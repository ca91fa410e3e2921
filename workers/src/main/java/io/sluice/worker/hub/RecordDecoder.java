package io.sluice.worker.hub;

import io.sluice.core.hub.RecordView;
import io.sluice.log.Header;
import io.sluice.log.StoredRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Renders stored records for reading: UTF-8 text when the bytes are valid UTF-8, else base64. Stateless. */
final class RecordDecoder {

    private RecordDecoder() {}

    static RecordView decode(StoredRecord r) {
        return new RecordView(
                r.offset(),
                r.timestamp(),
                payload(r.key()),
                payload(r.value()),
                r.headers().stream().map(RecordDecoder::header).toList());
    }

    private static RecordView.HeaderView header(Header h) {
        return new RecordView.HeaderView(h.key(), payload(h.value()));
    }

    static RecordView.Payload payload(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            if (text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
                return new RecordView.Payload(text, "utf8", bytes.length);
            }
        } catch (CharacterCodingException e) {
            // binary: fall through to base64
        }
        return new RecordView.Payload(Base64.getEncoder().encodeToString(bytes), "base64", bytes.length);
    }
}
