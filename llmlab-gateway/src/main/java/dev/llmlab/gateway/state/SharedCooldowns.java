package dev.llmlab.gateway.state;

import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.route.Deployment;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Provider keys' cooldowns, shared by the gateways of one Redis: a key one gateway saw rate-limited
 * (a 429, or headers saying nothing remains) is left alone by the others too, instead of each
 * finding out with a 429 of its own.
 *
 * <p>A cooldown is a Redis key {@code llmlab:cool:ID} holding the epoch millisecond it ends, set
 * to expire then. ID is a hash of the provider's address and the key's secret, so that the same
 * credential in two routes (or two gateways' configs) is one cooldown, and the secret is not in
 * Redis. Each gateway reads them every second ({@link #poll}, one MGET), so a cooldown reaches the
 * others within about a second; a request that is faster meets the provider's own 429 and cools
 * the key itself. Redis errors are ignored: cooldowns are an optimisation, and each gateway still
 * keeps its own.
 *
 * <p>Thread-safe.
 */
public final class SharedCooldowns {
    private static final String PREFIX = "llmlab:cool:";

    private final RedisConnection redis;
    private final Map<Key, String> ids = java.util.Collections.synchronizedMap(new IdentityHashMap<>());

    public SharedCooldowns(RedisConnection redis) {
        this.redis = redis;
    }

    /** Shares the cooldowns of every key of {@code deployments} (those already shared are left as they are). */
    public void attach(Collection<Deployment> deployments) {
        for (Deployment d : deployments) {
            for (Key k : d.keys().keys()) {
                if (ids.containsKey(k)) continue;
                ids.put(
                        k,
                        id(
                                d.provider().toString(),
                                k.secret() == null ? "" : k.secret().reveal()));
                k.share(this::publish);
            }
        }
    }

    private static String id(String provider, String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(provider.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private void publish(Key key, long untilNanos) {
        String id = ids.get(key);
        long ms = TimeUnit.NANOSECONDS.toMillis(untilNanos - System.nanoTime());
        if (id == null || ms <= 0) return;
        try {
            redis.strings().set(PREFIX + id, Long.toString(System.currentTimeMillis() + ms), SetArgs.Builder.px(ms));
        } catch (RuntimeException e) {
            // not connected: this gateway keeps the cooldown to itself
        }
    }

    /** Applies the cooldowns other gateways shared to the keys of {@code deployments}; waits at most a second. */
    public void poll(Collection<Deployment> deployments) {
        List<Key> keys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Deployment d : deployments) {
            for (Key k : d.keys().keys()) {
                String id = ids.get(k);
                if (id != null) {
                    keys.add(k);
                    names.add(PREFIX + id);
                }
            }
        }
        if (keys.isEmpty()) return;
        List<KeyValue<String, String>> values;
        try {
            values = redis.strings().mget(names.toArray(String[]::new)).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return;
        }
        long nowMs = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        for (int i = 0; i < values.size() && i < keys.size(); i++) {
            KeyValue<String, String> v = values.get(i);
            if (!v.hasValue()) continue;
            try {
                long until = Long.parseLong(v.getValue());
                if (until > nowMs) keys.get(i).cooledElsewhere(nowNanos + TimeUnit.MILLISECONDS.toNanos(until - nowMs));
            } catch (NumberFormatException e) {
                // not ours
            }
        }
    }
}
