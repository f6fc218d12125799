package dev.llmlab.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.llmlab.gateway.config.CacheConfig;
import dev.llmlab.gateway.state.RedisConnection;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's exact cache: answers by {@link CacheKey}, in two tiers. The local tier is a
 * Caffeine cache in this process; the shared tier, when the config has a Redis, is that Redis, so
 * that an answer one gateway got serves every gateway of the cluster. A lookup reads the local
 * tier, then the shared one (and keeps a shared hit locally for the rest of its time); a store
 * writes both.
 *
 * <p><b>Two bounds, one weigher.</b> The local tier holds at most {@code max_entries} answers and
 * {@code max_bytes} of them. Caffeine bounds either a count or a weight, not both; here each entry
 * weighs its bytes (body plus {@link #OVERHEAD}), but never less than {@code max_bytes /
 * max_entries}, and the weight is bounded by {@code max_bytes}. Then the bytes held are at most
 * the sum of the weights, itself at most {@code max_bytes}; and since every entry weighs at least
 * {@code max_bytes / max_entries}, there are at most {@code max_entries} of them. A cache of small
 * answers is held by its count, one of large answers by its bytes; a mix is held a little below
 * both. Within the bound, Caffeine's W-TinyLFU decides what goes: an answer asked for once may
 * not displace answers asked for often.
 *
 * <p><b>Expiry.</b> Each answer has its own time to live (its route's, or less when the request
 * asked: {@code x-llmlab-cache-ttl}), kept by Caffeine's variable expiry locally and by {@code SET
 * ... PX} in Redis. An answer the local tier takes from Redis lives there only as long as it has
 * left in Redis (its expiry travels with it, as a wall-clock time).
 *
 * <p><b>Redis is never in the way.</b> Commands go out asynchronously on the gateway's one
 * connection ({@link RedisConnection}), which fails them at once while Redis is down and after its
 * timeout when Redis is slow: a failed or late read is a miss, a failed write is dropped, each
 * counted ({@code llmlab_gateway_cache_shared_errors_total}); no request waits longer than the
 * timeout for the cache, or fails because of it. Values in Redis are a compact binary record
 * ({@link CachedAnswer#encode}), their layout versioned; keys are {@code llmlab:cache:} and the
 * key's digest in hex.
 *
 * <p>Thread-safe. Caffeine's upkeep (evictions, expiries, the byte count) runs on the calling
 * thread, a few microseconds, rather than on a pool: no thread is added, and tests see its effects
 * at once.
 */
public final class ExactCache {
    private static final Logger log = LoggerFactory.getLogger(ExactCache.class);
    /** What an entry costs beyond its body: the key, the record, the map's node; an estimate. */
    static final int OVERHEAD = 200;

    static final String PREFIX = "llmlab:cache:";

    /** A lookup's answer; {@code shared} when it came from Redis. */
    public record Hit(CachedAnswer answer, boolean shared) {}

    /** What the cache reports of its shared tier. */
    public interface Events {
        /** A command to the shared tier failed or timed out: {@code get} or {@code set}. */
        void sharedError(String operation);
    }

    private record Entry(CachedAnswer answer, long ttlNanos) {}

    private final Cache<CacheKey, Entry> local;
    private final RedisConnection redis;
    private final Events events;
    private final LongSupplier wallMillis;
    private final AtomicLong bytes = new AtomicLong();

    /**
     * @param bounds the local tier's bounds
     * @param redis  the shared tier, or null for none
     * @param events told of the shared tier's failures
     */
    public ExactCache(CacheConfig bounds, RedisConnection redis, Events events) {
        this(bounds, redis, events, Ticker.systemTicker(), System::currentTimeMillis);
    }

    ExactCache(CacheConfig bounds, RedisConnection redis, Events events, Ticker ticker, LongSupplier wallMillis) {
        this.redis = redis;
        this.events = events;
        this.wallMillis = wallMillis;
        int least = (int) Math.min(Integer.MAX_VALUE, Math.max(1, bounds.maxBytes() / bounds.maxEntries()));
        this.local = Caffeine.newBuilder()
                .maximumWeight(bounds.maxBytes())
                .weigher((CacheKey k, Entry e) -> Math.max(least, weight(e)))
                .expireAfter(new Expiry<CacheKey, Entry>() {
                    @Override
                    public long expireAfterCreate(CacheKey key, Entry e, long currentTime) {
                        return e.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(CacheKey key, Entry e, long currentTime, long currentDuration) {
                        return e.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(CacheKey key, Entry e, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(ticker)
                .executor(Runnable::run)
                .removalListener((CacheKey k, Entry e, RemovalCause cause) -> {
                    if (e != null) bytes.addAndGet(-weight(e));
                })
                .build();
    }

    private static int weight(Entry e) {
        return e.answer().body().length + OVERHEAD;
    }

    /**
     * Looks {@code key} up: {@code then} gets the hit, or null for a miss. A local hit, or a miss
     * without a shared tier, calls {@code then} before this returns; otherwise it is called on
     * {@code executor} once Redis answered, failed or timed out.
     */
    public void lookup(CacheKey key, Executor executor, Consumer<Hit> then) {
        Entry e = local.getIfPresent(key);
        if (e != null) {
            then.accept(new Hit(e.answer(), false));
            return;
        }
        if (redis == null) {
            then.accept(null);
            return;
        }
        CompletionStage<byte[]> get;
        try {
            get = redis.bytes().get(redisKey(key));
        } catch (RuntimeException ex) {
            events.sharedError("get");
            then.accept(null);
            return;
        }
        get.whenCompleteAsync(
                (value, failure) -> {
                    Hit hit = null;
                    if (failure != null) events.sharedError("get");
                    else if (value != null) hit = shared(key, value);
                    try {
                        then.accept(hit);
                    } catch (RuntimeException ex) {
                        log.warn("the request after a cache lookup failed", ex);
                    }
                },
                executor);
    }

    /** A value read from Redis as a hit, kept locally for its time left; null if expired or unreadable. */
    private Hit shared(CacheKey key, byte[] value) {
        CachedAnswer.Stored s = CachedAnswer.decode(value);
        if (s == null) return null;
        long left = s.expiresAtMillis() - wallMillis.getAsLong();
        if (left <= 0) return null;
        Entry e = new Entry(s.answer(), Duration.ofMillis(left).toNanos());
        bytes.addAndGet(weight(e));
        local.put(key, e);
        return new Hit(s.answer(), true);
    }

    /** Keeps {@code answer} under {@code key} for {@code ttl}, here and in the shared tier. */
    public void put(CacheKey key, CachedAnswer answer, Duration ttl) {
        Entry e = new Entry(answer, ttl.toNanos());
        bytes.addAndGet(weight(e));
        local.put(key, e);
        if (redis == null) return;
        long ttlMillis = Math.max(1, ttl.toMillis());
        try {
            redis.bytes()
                    .set(
                            redisKey(key),
                            answer.encode(wallMillis.getAsLong() + ttlMillis),
                            SetArgs.Builder.px(ttlMillis))
                    .whenComplete((ok, failure) -> {
                        if (failure != null) events.sharedError("set");
                    });
        } catch (RuntimeException ex) {
            events.sharedError("set");
        }
    }

    /** Answers held in this process (expired ones not yet swept included). */
    public long entries() {
        local.cleanUp();
        return local.estimatedSize();
    }

    /** Bytes of the answers held in this process, {@link #OVERHEAD} included. */
    public long bytes() {
        local.cleanUp();
        return bytes.get();
    }

    private static byte[] redisKey(CacheKey key) {
        return (PREFIX + key.hex()).getBytes(StandardCharsets.US_ASCII);
    }
}
