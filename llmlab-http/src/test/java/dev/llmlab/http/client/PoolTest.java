package dev.llmlab.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class PoolTest {
    static final long S = 1_000_000_000L;

    final Pool pool =
            new Pool(new Proxies.Route(Origin.of("http://127.0.0.1:8000"), Proxies.Via.DIRECT, null), 1024, 4 * S);

    Connection connection() {
        return new Connection(null, pool, new EmbeddedChannel(), null, 0);
    }

    @Test
    void acquire_takesTheWarmest_whileNoneHasIdledHalfTheExpiry() {
        Connection a = connection();
        Connection b = connection();
        pool.release(a, 10 * S);
        pool.release(b, 11 * S);
        assertThat(pool.acquire(12 * S)).isSameAs(b);
        assertThat(pool.acquire(12 * S)).isSameAs(a);
        assertThat(pool.acquire(12 * S)).isNull();
    }

    @Test
    void acquire_takesTheColdest_onceItIdledHalfTheExpiry_soABurstsConnectionsStayAlive() {
        Connection cold = connection();
        Connection warm = connection();
        pool.release(cold, 10 * S);
        pool.release(warm, 12 * S);
        assertThat(pool.acquire(12 * S + S / 10))
                .as("2.1 s idle: refreshed first")
                .isSameAs(cold);
        pool.release(cold, 12 * S + S / 5);
        assertThat(pool.acquire(12 * S + S / 4)).as("then the warmest again").isSameAs(cold);
    }

    @Test
    void expire_closesWhatIdledPastTheExpiry_fromTheColdest() {
        Connection old = connection();
        Connection fresh = connection();
        pool.release(old, 10 * S);
        pool.release(fresh, 13 * S);
        pool.expire(14 * S + 1);
        assertThat(old.active()).isFalse();
        assertThat(fresh.active()).isTrue();
        assertThat(pool.idle()).isEqualTo(1);
    }
}
