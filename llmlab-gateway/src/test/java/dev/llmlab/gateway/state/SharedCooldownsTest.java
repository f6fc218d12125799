package dev.llmlab.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.core.config.Secret;
import dev.llmlab.gateway.config.BreakerConfig;
import dev.llmlab.gateway.config.ProviderKind;
import dev.llmlab.gateway.config.StateConfig;
import dev.llmlab.gateway.keys.Key;
import dev.llmlab.gateway.keys.KeyPool;
import dev.llmlab.gateway.provider.Provider;
import dev.llmlab.gateway.reliability.Breaker;
import dev.llmlab.gateway.route.Deployment;
import dev.llmlab.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two gateways' views of the same provider keys, sharing cooldowns through a real redis-server. */
class SharedCooldownsTest {
    private static Deployment deployment(String url, Key... keys) {
        return new Deployment(
                "d",
                Provider.of(ProviderKind.OPENAI_COMPATIBLE, url, null),
                null,
                new KeyPool(List.of(keys)),
                new Breaker(new BreakerConfig(null, null, null, null, null, null)),
                1,
                0,
                0);
    }

    @Test
    void aKeyRateLimitedOnOneGateway_coolsOnTheOther_andOnlyThatCredential() throws Exception {
        try (RedisServer r = RedisServer.start();
                RedisConnection a =
                        RedisConnection.open(new StateConfig.RedisConfig(Secret.of(r.uri()), Duration.ofSeconds(1)));
                RedisConnection b =
                        RedisConnection.open(new StateConfig.RedisConfig(Secret.of(r.uri()), Duration.ofSeconds(1)))) {
            assertThat(a.awaitUp(Duration.ofSeconds(10))).isTrue();
            assertThat(b.awaitUp(Duration.ofSeconds(10))).isTrue();
            Key aKey = new Key("k1", Secret.of("sk-one"), 0, 0);
            Key bKey = new Key("first", Secret.of("sk-one"), 0, 0); // the same credential under another name
            Key bOther = new Key("k2", Secret.of("sk-two"), 0, 0);
            Key elsewhere = new Key("k1", Secret.of("sk-one"), 0, 0); // the same secret at another provider
            SharedCooldowns onA = new SharedCooldowns(a);
            SharedCooldowns onB = new SharedCooldowns(b);
            onA.attach(List.of(deployment("http://127.0.0.1:9000/v1", aKey)));
            List<Deployment> bSide = List.of(
                    deployment("http://127.0.0.1:9000/v1", bKey, bOther),
                    deployment("http://127.0.0.1:9999/v1", elsewhere));
            onB.attach(bSide);

            long now = System.nanoTime();
            aKey.rateLimited(now, Duration.ofSeconds(30).toNanos()); // a 429 with Retry-After: 30
            // the SET is asynchronous: poll until B sees it (at most 5 s)
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (bKey.availableAt(System.nanoTime(), 0) <= System.nanoTime() && System.nanoTime() < deadline)
                onB.poll(bSide);
            long t = System.nanoTime();
            assertThat(bKey.availableAt(t, 0) - t)
                    .isBetween(
                            Duration.ofSeconds(25).toNanos(),
                            Duration.ofSeconds(31).toNanos());
            assertThat(bOther.availableAt(t, 0)).isEqualTo(t);
            assertThat(elsewhere.availableAt(t, 0)).isEqualTo(t);
            // nothing of the secret is in Redis
            assertThat(a.strings().keys("llmlab:cool:*").get())
                    .singleElement()
                    .satisfies(k -> assertThat(k).doesNotContain("sk-one"));
        }
    }
}
