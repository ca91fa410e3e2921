package io.sluice.worker.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.audit.AuditEvent;
import io.sluice.worker.GoldenFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins what the security side persists: an encrypted secret as stored in the config topic (it must
 * stay readable with its key: the nonce is random, so the golden value is decrypted, and a new value
 * must have the same shape), and an audit record of the audit topic.
 */
class SecurityRecordsGoldenTest {

    private static byte[] fixedKey() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        return key;
    }

    @Test
    void shouldStillDecryptASecretStoredEarlierAndEncryptInTheSameShape() {
        ConfigCipher cipher = new ConfigCipher(fixedKey(), List.of());
        String stored = new String(GoldenFiles.text("security/encrypted-secret.txt"), StandardCharsets.UTF_8);
        if (Boolean.getBoolean("golden.update")) {
            GoldenFiles.assertText(
                    "security/encrypted-secret.txt",
                    cipher.encrypt("s3cr3t-pässword").getBytes(StandardCharsets.UTF_8));
            stored = new String(GoldenFiles.text("security/encrypted-secret.txt"), StandardCharsets.UTF_8);
        }

        assertThat(cipher.decrypt(stored)).isEqualTo("s3cr3t-pässword");
        String fresh = cipher.encrypt("s3cr3t-pässword");
        String keyId = stored.substring(0, stored.lastIndexOf(':') + 1);
        assertThat(keyId).isEqualTo("sluice-encrypted:v1:630dcd29:");
        assertThat(fresh).startsWith(keyId).hasSameSizeAs(stored);
    }

    @Test
    void shouldKeepTheAuditRecordFormat() throws Exception {
        AuditEvent event = new AuditEvent(
                        1_700_000_000_000L, "alice", "127.0.0.1", "PUT", "/connectors/shop/pause", 202, null)
                .on("127.0.0.1:8083");
        ObjectMapper json = new ObjectMapper(); // as AuditLog writes and reads its records

        GoldenFiles.assertText("security/audit-record.json", json.writeValueAsBytes(event));

        assertThat(json.readValue(GoldenFiles.text("security/audit-record.json"), AuditEvent.class))
                .isEqualTo(event);
    }
}
