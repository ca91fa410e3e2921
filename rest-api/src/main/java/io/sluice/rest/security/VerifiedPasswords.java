package io.sluice.rest.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * bcrypt checks, remembered: HTTP basic sends the password with every request, and a bcrypt check
 * costs tens of milliseconds of CPU, so once a password matched a hash, later requests compare a
 * keyed HMAC of it instead (the key is random per process, so the memory holds no plain digest of
 * any password). A changed hash in the users file is a new key here, so an old password stops
 * working at once. Thread-safe.
 */
final class VerifiedPasswords implements PasswordEncoder {

    private static final int MAX_ENTRIES = 10_000;

    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder();
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final SecretKeySpec key;

    VerifiedPasswords() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    @Override
    public String encode(CharSequence raw) {
        return bcrypt.encode(raw);
    }

    @Override
    public boolean matches(CharSequence raw, String hash) {
        if (raw == null || hash == null) {
            return false;
        }
        byte[] mac = mac(raw);
        byte[] known = verified.get(hash);
        if (known != null && MessageDigest.isEqual(known, mac)) {
            return true;
        }
        boolean ok = bcrypt.matches(raw, hash);
        if (ok) {
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(hash, mac);
        }
        return ok;
    }

    private byte[] mac(CharSequence raw) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m.doFinal(raw.toString().getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
