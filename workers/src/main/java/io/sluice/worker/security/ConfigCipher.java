package io.sluice.worker.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM for single config values: {@code sluice-encrypted:v1:<key id>:<base64 of 12-byte nonce +
 * ciphertext + tag>}, where the key id is the first 8 hex digits of the key's SHA-256 (so a value
 * names the key it needs, and a rotated-out key can still read it). Immutable and thread-safe.
 */
public final class ConfigCipher {

    static final String PREFIX = "sluice-encrypted:v1:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final String currentId;
    private final Map<String, SecretKey> keys;

    ConfigCipher(byte[] current, List<byte[]> previous) {
        Map<String, SecretKey> all = new LinkedHashMap<>();
        this.currentId = id(current);
        all.put(currentId, new SecretKeySpec(current, "AES"));
        for (byte[] key : previous) {
            all.putIfAbsent(id(key), new SecretKeySpec(key, "AES"));
        }
        this.keys = Map.copyOf(all);
    }

    /** The cipher from the settings, or {@code null} when no key is configured. */
    public static ConfigCipher from(ConfigEncryptionProperties properties) {
        if (!properties.configured()) {
            return null;
        }
        byte[] current;
        if (properties.keyFile() != null) {
            current = readKey(properties.keyFile(), "sluice.security.config-encryption.key-file");
        } else {
            String text = System.getenv(properties.keyEnv());
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("sluice.security.config-encryption.key-env names "
                        + properties.keyEnv() + ", which is not set");
            }
            current = decodeKey(text, "environment variable " + properties.keyEnv());
        }
        List<byte[]> previous = properties.previousKeyFiles().stream()
                .map(p -> readKey(p, "sluice.security.config-encryption.previous-key-files"))
                .toList();
        return new ConfigCipher(current, previous);
    }

    private static byte[] readKey(Path file, String setting) {
        try {
            return decodeKey(Files.readString(file, StandardCharsets.US_ASCII), setting + " " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + setting + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] decodeKey(String text, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The key in " + where + " is not base64");
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("The key in " + where + " has " + key.length
                    + " bytes; an AES key has 16, 24 or 32 (e.g. openssl rand -base64 32)");
        }
        return key;
    }

    private static String id(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    String encrypt(String plain) {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return PREFIX + currentId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    String decrypt(String stored) {
        String rest = stored.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        String keyId = colon < 0 ? "" : rest.substring(0, colon);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException("A stored secret was encrypted with key " + keyId
                    + ", which is neither sluice.security.config-encryption's key nor one of its previous-key-files");
        }
        try {
            byte[] in = Base64.getDecoder().decode(rest.substring(colon + 1));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
            return new String(cipher.doFinal(in, NONCE, in.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("A stored secret (key " + keyId + ") cannot be decrypted: "
                    + e.getClass().getSimpleName());
        }
    }
}
