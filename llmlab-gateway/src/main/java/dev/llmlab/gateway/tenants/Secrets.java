package dev.llmlab.gateway.tenants;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Virtual keys' secrets: {@code sk-llmlab-} and 256 random bits in URL-safe base64, so that a
 * leaked key is recognisable by secret scanners. Only a SHA-256 of the secret is stored: with that
 * much entropy, an unsalted fast hash is enough (no dictionary to try), and it lets a gateway find
 * a key by its hash in one lookup.
 */
public final class Secrets {
    static final String PREFIX = "sk-llmlab-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    static String generate() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The SHA-256 of a key as sent, in hex: what is stored, and what a presented key is looked up by. */
    public static String hash(String secret) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** What a list shows of a secret: its first four characters after the prefix. */
    static String prefixOf(String secret) {
        return secret.substring(0, Math.min(secret.length(), PREFIX.length() + 4));
    }
}
