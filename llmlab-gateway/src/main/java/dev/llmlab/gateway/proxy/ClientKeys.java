package dev.llmlab.gateway.proxy;

import dev.llmlab.core.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The keys clients must send, checked in constant time: the key presented is hashed (SHA-256) and
 * its digest compared with every configured key's digest by {@link MessageDigest#isEqual}, which
 * takes the same time whatever bytes differ, and every configured key is compared whatever
 * matched, so that the time taken says nothing of how close a guess came, or which key it was
 * near. Keys are kept as digests only, never logged.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClientKeys {
    private record Entry(String name, byte[] digest) {}

    private final List<Entry> entries;
    private final Map<String, Instant> expiries;

    /** @param keys each key by its name; empty for a gateway that asks for none */
    public ClientKeys(Map<String, Secret> keys) {
        this(keys, Map.of());
    }

    /**
     * @param keys     each key by its name; empty for a gateway that asks for none
     * @param expiries when each key that expires stops working, by its name
     */
    public ClientKeys(Map<String, Secret> keys, Map<String, Instant> expiries) {
        List<Entry> e = new ArrayList<>();
        keys.forEach((name, key) -> e.add(new Entry(name, digest(key.reveal()))));
        this.entries = List.copyOf(e);
        this.expiries = Map.copyOf(expiries);
    }

    /** When the key named {@code name} stopped working, if that is before {@code now}; else null. */
    public Instant expired(String name, Instant now) {
        Instant at = expiries.get(name);
        return at != null && !now.isBefore(at) ? at : null;
    }

    /** Whether clients must send a key. */
    public boolean required() {
        return !entries.isEmpty();
    }

    /** The name of the key presented, or null if it is none of them (or null). */
    public String check(String presented) {
        if (presented == null) return null;
        byte[] d = digest(presented);
        String found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(d, e.digest) & found == null) found = e.name;
        }
        return found;
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
