package dev.llmlab.gateway.proxy;

import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.tenants.Directory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The keys clients must send, checked in constant time: the key presented is hashed (SHA-256) and
 * its digest compared with every configured key's digest by {@link MessageDigest#isEqual}, which
 * takes the same time whatever bytes differ, and every configured key is compared whatever
 * matched, so that the time taken says nothing of how close a guess came, or which key it was
 * near. Keys are kept as digests only, never logged.
 *
 * <p>Virtual keys (made through the admin API, in the {@link Directory}) are many and high in
 * entropy: they are found by their digest in one lookup. What that lookup's time could tell is
 * which hash buckets hold keys, which says nothing of a key without a SHA-256 preimage.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClientKeys {
    private record Entry(String name, byte[] digest) {}

    private final List<Entry> entries;
    private final Map<String, Instant> expiries;
    private final Directory directory;
    private final boolean always;

    /** @param keys each key by its name; empty for a gateway that asks for none */
    public ClientKeys(Map<String, Secret> keys) {
        this(keys, Map.of());
    }

    /**
     * @param keys     each key by its name; empty for a gateway that asks for none
     * @param expiries when each key that expires stops working, by its name
     */
    public ClientKeys(Map<String, Secret> keys, Map<String, Instant> expiries) {
        this(keys, expiries, Directory.EMPTY, false);
    }

    /**
     * @param keys      the config's keys by name
     * @param expiries  when each of the config's keys that expires stops working, by its name
     * @param directory the stored virtual keys
     * @param always    whether a key is required even when none exists yet (a gateway with an
     *                  admin API: revoking its last key must not open it to everyone)
     */
    public ClientKeys(Map<String, Secret> keys, Map<String, Instant> expiries, Directory directory, boolean always) {
        List<Entry> e = new ArrayList<>();
        keys.forEach((name, key) -> e.add(new Entry(name, digest(key.reveal()))));
        this.entries = List.copyOf(e);
        Map<String, Instant> all = new HashMap<>(expiries);
        for (var k : directory.keys()) if (k.expiresAt() != null) all.put(k.name(), k.expiresAt());
        this.expiries = Map.copyOf(all);
        this.directory = directory;
        this.always = always;
    }

    /** When the key named {@code name} stopped working, if that is before {@code now}; else null. */
    public Instant expired(String name, Instant now) {
        Instant at = expiries.get(name);
        return at != null && !now.isBefore(at) ? at : null;
    }

    /** Whether clients must send a key: the config names some, virtual keys exist, or an admin API may make them. */
    public boolean required() {
        return always || !entries.isEmpty() || !directory.keys().isEmpty();
    }

    /** The name of the key presented, or null if it is none of them (or null). */
    public String check(String presented) {
        if (presented == null) return null;
        byte[] d = digest(presented);
        String found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(d, e.digest) & found == null) found = e.name;
        }
        if (found == null && !directory.byHash().isEmpty())
            found = directory.find(HexFormat.of().formatHex(d), Instant.now());
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
