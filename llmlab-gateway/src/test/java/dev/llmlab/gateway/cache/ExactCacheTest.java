package dev.llmlab.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.account.TokenUsage;
import dev.llmlab.gateway.config.CacheConfig;
import dev.llmlab.gateway.config.StateConfig.RedisConfig;
import dev.llmlab.gateway.state.RedisConnection;
import dev.llmlab.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExactCacheTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong wall = new AtomicLong(1_800_000_000_000L);
    private final List<String> errors = new ArrayList<>();

    private ExactCache cache(CacheConfig bounds, RedisConnection redis) {
        Ticker ticker = nanos::get;
        return new ExactCache(bounds, redis, errors::add, ticker, wall::get);
    }

    private static CacheKey key(int i) {
        return CacheKey.of(
                "/v1/chat/completions", "r", "m", "team:a", Map.of(), false, ("{\"n\":" + i + "}").getBytes());
    }

    private CachedAnswer answer(int bytes) {
        return new CachedAnswer(
                200, "application/json", false, new byte[bytes], "gpt-4o", new TokenUsage(10, 5, 0, false), wall.get());
    }

    /** The lookup's answer, waited for (a shared lookup answers on another thread). */
    private static ExactCache.Hit get(ExactCache c, CacheKey k) throws Exception {
        CompletableFuture<ExactCache.Hit> f = new CompletableFuture<>();
        c.lookup(k, Runnable::run, f::complete);
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void lookup_afterPut_hitsLocally_untilTheTtlPasses() throws Exception {
        ExactCache c = cache(CacheConfig.defaults(), null);
        assertThat(get(c, key(1))).isNull();
        c.put(key(1), answer(100), Duration.ofSeconds(60));
        ExactCache.Hit hit = get(c, key(1));
        assertThat(hit.shared()).isFalse();
        assertThat(hit.answer().body()).hasSize(100);
        assertThat(get(c, key(2))).isNull();
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(get(c, key(1))).isNotNull();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(get(c, key(1))).isNull();
        assertThat(c.entries()).isZero();
        assertThat(c.bytes()).isZero();
    }

    @Test
    void put_pastMaxBytes_evicts_andTheBytesHeldStayWithinTheBound() {
        long max = 10_000;
        ExactCache c = cache(new CacheConfig(1000L, max), null);
        for (int i = 0; i < 50; i++) c.put(key(i), answer(1000), Duration.ofMinutes(1));
        assertThat(c.bytes()).isLessThanOrEqualTo(max).isGreaterThan(max / 2);
        assertThat(c.entries()).isEqualTo(c.bytes() / (1000 + ExactCache.OVERHEAD));
    }

    @Test
    void put_pastMaxEntries_evicts_evenWhenTheBytesWouldFit() {
        ExactCache c = cache(new CacheConfig(10L, 1L << 30), null);
        for (int i = 0; i < 100; i++) c.put(key(i), answer(10), Duration.ofMinutes(1));
        assertThat(c.entries()).isLessThanOrEqualTo(10).isGreaterThan(0);
        assertThat(c.bytes()).isEqualTo(c.entries() * (10 + ExactCache.OVERHEAD));
    }

    @Test
    void encode_decode_roundTrips_andAnotherLayoutIsAMiss() {
        CachedAnswer a = new CachedAnswer(
                200,
                "text/event-stream",
                true,
                "data: {}\n\n".getBytes(StandardCharsets.UTF_8),
                "gpt-4o",
                new TokenUsage(10, 5, 2, true),
                123);
        CachedAnswer.Stored s = CachedAnswer.decode(a.encode(456));
        assertThat(s.expiresAtMillis()).isEqualTo(456);
        assertThat(s.answer()).usingRecursiveComparison().isEqualTo(a);
        CachedAnswer none = new CachedAnswer(200, null, false, new byte[0], null, null, 0);
        assertThat(CachedAnswer.decode(none.encode(1)).answer())
                .usingRecursiveComparison()
                .isEqualTo(none);
        byte[] other = a.encode(456);
        other[0] = 9;
        assertThat(CachedAnswer.decode(other)).isNull();
        assertThat(CachedAnswer.decode(new byte[] {1, 0})).isNull();
    }

    @Test
    void directives_noCacheNoStoreAndTtl() {
        Duration route = Duration.ofMinutes(10);
        assertThat(CacheDirectives.of(null, null, route)).isEqualTo(new CacheDirectives(true, true, route));
        assertThat(CacheDirectives.of("No-Cache", null, route)).isEqualTo(new CacheDirectives(false, true, route));
        assertThat(CacheDirectives.of("max-age=0, no-store", null, route))
                .isEqualTo(new CacheDirectives(false, false, route));
        assertThat(CacheDirectives.of(null, "60", route).ttl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(CacheDirectives.of(null, "6000", route).ttl())
                .as("never past the route's")
                .isEqualTo(route);
        for (String bad : List.of("0", "-5", "1.5", "soon"))
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> CacheDirectives.of(null, bad, route))
                    .hasMessageContaining("x-llmlab-cache-ttl must be a whole number of seconds");
    }

    private static RedisConnection connect(RedisServer r) {
        return RedisConnection.open(new RedisConfig(Secret.of(r.uri()), Duration.ofMillis(500)));
    }

    @Test
    void lookup_sharedTier_servesAnotherInstancesAnswer_forTheTimeItHasLeft() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnection one = connect(redis);
                RedisConnection two = connect(redis)) {
            ExactCache first = cache(CacheConfig.defaults(), one);
            ExactCache second = cache(CacheConfig.defaults(), two);
            assertThat(get(second, key(1))).isNull();
            first.put(key(1), answer(300), Duration.ofSeconds(30));
            // the SET is asynchronous: the first instance's own next read is after it on the same connection
            get(cache(CacheConfig.defaults(), one), key(1));
            ExactCache.Hit hit = get(second, key(1));
            assertThat(hit).isNotNull();
            assertThat(hit.shared()).isTrue();
            assertThat(hit.answer().usage()).isEqualTo(new TokenUsage(10, 5, 0, false));
            assertThat(second.entries()).isEqualTo(1);
            assertThat(get(second, key(1)).shared()).as("kept locally").isFalse();
            // locally it lives as long as it had left in Redis: 30 s less the time that passed (none here)
            nanos.addAndGet(Duration.ofSeconds(31).toNanos());
            assertThat(second.entries()).isZero();
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void lookup_whileRedisIsDown_isAMiss_countedAsAnError_andPutsAreDropped() throws Exception {
        try (RedisServer redis = RedisServer.start();
                RedisConnection conn = connect(redis)) {
            ExactCache c = cache(CacheConfig.defaults(), conn);
            redis.stop();
            assertThat(get(c, key(1))).isNull();
            c.put(key(2), answer(10), Duration.ofSeconds(30));
            assertThat(get(c, key(2))).as("the local tier still holds it").isNotNull();
            assertThat(errors).contains("get");
            redis.startAgain();
        }
    }
}
