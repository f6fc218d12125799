package dev.llmlab.gateway.tenants;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a gateway reads of the stored keys and teams to serve requests, loaded whole and swapped
 * in whole when the store's version changes.
 *
 * @param version the store's change counter when this was read
 * @param keys    the keys that are not revoked (expired ones included: they get a 401 that says so)
 * @param byHash  each working secret's hash: the key's name, and until when the hash works (a
 *                rotated key's old secret, during its grace period), or null for as long as the
 *                key does
 */
public record Directory(long version, List<VirtualKey> keys, List<Team> teams, Map<String, Holder> byHash) {
    public record Holder(String name, Instant until) {}

    public static final Directory EMPTY = new Directory(-1, List.of(), List.of(), Map.of());

    public Directory {
        keys = List.copyOf(keys);
        teams = List.copyOf(teams);
        byHash = Map.copyOf(byHash);
    }

    /** The name of the key whose secret hashes to {@code hash}, if it works at {@code now}; else null. */
    public String find(String hash, Instant now) {
        Holder h = byHash.get(hash);
        return h == null || (h.until() != null && !now.isBefore(h.until())) ? null : h.name();
    }
}
