package dev.llmlab.gateway.keys;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deployment's keys, used in turn: each request takes the next key that is usable now
 * ({@link Key#availableAt}), so that the load spreads over the keys and a key that cools down or
 * has filled its minute is passed over until it frees up.
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public final class KeyPool {
    private final List<Key> keys;
    private final AtomicInteger turn = new AtomicInteger();

    /** @param keys at least one (a deployment that sends no key has one without a secret) */
    public KeyPool(List<Key> keys) {
        if (keys.isEmpty()) throw new IllegalArgumentException("a key pool needs at least one key");
        this.keys = List.copyOf(keys);
    }

    public List<Key> keys() {
        return keys;
    }

    /** The next key in turn usable at {@code nowNanos} for a request of {@code tokens}, or null. */
    public Key pick(long nowNanos, long tokens) {
        int n = keys.size();
        int start = Math.floorMod(turn.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Key k = keys.get((start + i) % n);
            if (k.availableAt(nowNanos, tokens) <= nowNanos) return k;
        }
        return null;
    }

    /** When a key is next usable: {@code nowNanos} if one is now, {@link Long#MAX_VALUE} if all were removed. */
    public long availableAt(long nowNanos, long tokens) {
        long at = Long.MAX_VALUE;
        for (Key k : keys) at = Math.min(at, k.availableAt(nowNanos, tokens));
        return at;
    }
}
