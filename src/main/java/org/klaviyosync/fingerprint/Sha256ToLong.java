package org.klaviyosync.fingerprint;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A 64-bit hash: the first eight bytes of SHA-256, big-endian. The stored fingerprints and mapping
 * hashes are such values, so this must never change.
 */
public final class Sha256ToLong {

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    private Sha256ToLong() {
    }

    /** The hash of {@code bytes}. */
    public static long of(byte[] bytes) {
        MessageDigest digest = digest();
        digest.update(bytes);
        return finish(digest);
    }

    /** This thread's SHA-256 digest, reset, to feed in parts and then {@link #finish(MessageDigest)}. */
    public static MessageDigest digest() {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        return digest;
    }

    /** Completes {@code digest} and returns its first eight bytes as a long. */
    public static long finish(MessageDigest digest) {
        byte[] hash = digest.digest();
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = (value << 8) | (hash[i] & 0xFF);
        }
        return value;
    }
}
