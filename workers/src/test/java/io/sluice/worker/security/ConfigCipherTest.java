package io.sluice.worker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCipherTest {

    @TempDir
    Path dir;

    static byte[] key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    Path keyFile(String name, byte[] key) throws Exception {
        return Files.writeString(dir.resolve(name), Base64.getEncoder().encodeToString(key) + "\n");
    }

    @Test
    void shouldRoundTripWithAFreshNonceEachTime() {
        ConfigCipher cipher = new ConfigCipher(key(), List.of());
        String a = cipher.encrypt("pw");
        String b = cipher.encrypt("pw");
        assertThat(a).startsWith(ConfigCipher.PREFIX).isNotEqualTo(b).doesNotContain("pw");
        assertThat(cipher.decrypt(a)).isEqualTo("pw");
        assertThat(cipher.decrypt(b)).isEqualTo("pw");
    }

    @Test
    void shouldReadValuesOfAPreviousKeyAfterARotationAndNameAMissingKey() throws Exception {
        byte[] old = key();
        byte[] fresh = key();
        String written = new ConfigCipher(old, List.of()).encrypt("pw");
        ConfigCipher rotated = ConfigCipher.from(
                new ConfigEncryptionProperties(keyFile("new", fresh), null, List.of(keyFile("old", old))));
        assertThat(rotated.decrypt(written)).isEqualTo("pw");
        assertThat(rotated.encrypt("pw")).doesNotStartWith(written.substring(0, ConfigCipher.PREFIX.length() + 8));

        ConfigCipher withoutOld = new ConfigCipher(fresh, List.of());
        String keyId = written.substring(ConfigCipher.PREFIX.length(), ConfigCipher.PREFIX.length() + 8);
        assertThatThrownBy(() -> withoutOld.decrypt(written))
                .hasMessageContaining(keyId)
                .hasMessageContaining("previous-key-files");
    }

    @Test
    void shouldRefuseATamperedValueAndABadKey() throws Exception {
        ConfigCipher cipher = new ConfigCipher(key(), List.of());
        String v = cipher.encrypt("pw");
        String tampered = v.substring(0, v.length() - 4) + (v.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> cipher.decrypt(tampered)).hasMessageContaining("cannot be decrypted");
        Path shortKey =
                Files.writeString(dir.resolve("short"), Base64.getEncoder().encodeToString(new byte[7]));
        assertThatThrownBy(() -> ConfigCipher.from(new ConfigEncryptionProperties(shortKey, null, List.of())))
                .hasMessageContaining("7 bytes");
    }
}
