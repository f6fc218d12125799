package dev.llmlab.gateway;

import static dev.llmlab.gateway.SimHarness.chat;
import static dev.llmlab.gateway.SimHarness.sum;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmlab.gateway.proxy.Endpoints;
import dev.llmlab.metrics.Exposition;
import dev.llmlab.sim.Simulator;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's faults (its {@code X-Llmlab-Fault} header and its fault rules and rate limits)
 * through the gateway: rate limits across a key pool, 5xx answers, an opening breaker and hung
 * upstreams. What the simulator was sent is read from its own metrics, or from a relay that
 * records each request's key.
 */
class SimFaultsTest {
    @TempDir
    Path dir;

    private SimHarness h;

    private static final Map<String, String> KEYS = Map.of("KA", "sk-a", "KB", "sk-b", "KC", "sk-c");

    @AfterEach
    void close() throws Exception {
        if (h != null) h.close();
    }

    private SimHarness harness() {
        h = new SimHarness(dir);
        return h;
    }

    /** A route {@code m} to the simulator's {@code model} at {@code base} with keys sk-a, sk-b, sk-c. */
    private static String threeKeys(String base, String model, String retry) {
        return "routes:\n  - name: m\n    strategy: round-robin\n    deployments:\n"
                + "      - name: sim\n        provider: openai-compatible\n        base_url: " + base + "/v1\n"
                + "        model: " + model + "\n"
                + "        keys: [{name: a, key: \"${KA}\"}, {name: b, key: \"${KB}\"}, {name: c, key: \"${KC}\"}]\n"
                + retry;
    }

    @Test
    void a429Storm_rotatesTheKeys_andNoKeyIsUsedAgainBeforeItsRetryAfter() throws Exception {
        SimHarness h = harness();
        Simulator sim = h.simulator("auth: {keys: [sk-a, sk-b, sk-c]}\n", 0);
        Taps.KeyTap tap = h.keep(new Taps.KeyTap("http://127.0.0.1:" + sim.port()));
        Gateway g = h.gateway(threeKeys(tap.url(), "gpt-4o-mini", "retry: {attempts: 2, backoff: 1ms}\n"), KEYS);

        long t0 = System.nanoTime();
        // every try of this request is a 429 with Retry-After: 1 (the header goes upstream with each try)
        HttpResponse<String> storm =
                h.post(g.port(), "/v1/chat/completions", chat("m", false, 5), "x-llmlab-fault", "status=429");
        assertThat(storm.statusCode()).isEqualTo(429);
        assertThat(storm.body()).contains("rate_limit_exceeded"); // the simulator's own answer, passed on
        assertThat(storm.headers().firstValue("retry-after")).hasValue("1");
        assertThat(storm.headers().firstValue(Endpoints.TRIES_HEADER)).hasValue("3");
        // the simulator saw three tries, each with another key
        assertThat(tap.seen).hasSize(3).allSatisfy(s -> assertThat(s.status()).isEqualTo(429));
        assertThat(tap.seen.stream().map(Taps.Seen::key).collect(Collectors.toSet()))
                .isEqualTo(Set.of("sk-a", "sk-b", "sk-c"));

        // Every key cools down for its second: the gateway answers alone, with its own Retry-After,
        // and the first answer from the simulator comes once a key's second is over.
        HttpResponse<String> r;
        int ownAnswers = 0;
        long until = System.nanoTime() + 5_000_000_000L;
        while (true) {
            r = h.post(g.port(), "/v1/chat/completions", chat("m", false, 5));
            if (r.statusCode() != 429 || System.nanoTime() > until) break;
            ownAnswers++;
            assertThat(r.body()).contains("cooling down");
            assertThat(r.headers().firstValue("retry-after")).hasValue("1");
            assertThat(tap.seen).as("no key was used while cooling down").hasSize(3);
            Thread.sleep(50); // a client honouring the answer's Retry-After would wait; this polls
        }
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(ownAnswers).isPositive();
        assertThat(elapsedMs)
                .as("the first key came back after its Retry-After")
                .isGreaterThanOrEqualTo(1000);
        assertThat(tap.seen).hasSize(4);
        assertThat(tap.seen.getLast().status()).isEqualTo(200);

        Exposition m = h.metrics(g.port());
        for (String key : List.of("a", "b", "c"))
            assertThat(sum(m, "llmlab_gateway_key_cooldowns_total", "deployment", "sim", "key", key))
                    .isEqualTo(1);
        assertThat(sum(m, "llmlab_gateway_key_cooldown_seconds_total", "deployment", "sim"))
                .isEqualTo(3);
        assertThat(sum(m, "llmlab_gateway_retries_total", "route", "m", "error_type", "rate_limited"))
                .isEqualTo(2);
    }

    @Test
    void theSimulatorsPerKeyLimits_spreadOverThePool_andTheGatewayStopsAtThemWithoutA429() throws Exception {
        SimHarness h = harness();
        Simulator sim =
                h.simulator("auth: {keys: [sk-a, sk-b, sk-c]}\nrate_limits: {per_key: {requests_per_minute: 2}}\n", 0);
        Taps.KeyTap tap = h.keep(new Taps.KeyTap("http://127.0.0.1:" + sim.port()));
        Gateway g = h.gateway(threeKeys(tap.url(), "gpt-4o-mini", "retry: {attempts: 2, backoff: 1ms}\n"), KEYS);
        for (int i = 0; i < 6; i++)
            assertThat(h.post(g.port(), "/v1/chat/completions", chat("m", false, 5))
                            .statusCode())
                    .isEqualTo(200);
        // each key's answers said how much of its minute was left: at 0 the key rests until its reset
        HttpResponse<String> over = h.post(g.port(), "/v1/chat/completions", chat("m", false, 5));
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.body()).contains("cooling down");
        assertThat(Integer.parseInt(over.headers().firstValue("retry-after").orElseThrow()))
                .isBetween(1, 60);
        assertThat(tap.seen).hasSize(6).allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
        assertThat(tap.seen.stream().collect(Collectors.groupingBy(Taps.Seen::key, Collectors.counting())))
                .isEqualTo(Map.of("sk-a", 2L, "sk-b", 2L, "sk-c", 2L));
    }

    /** The simulator answers 503 to every request for gpt-4o (a fault rule), and serves gpt-4o-mini. */
    private static final String SICK_GPT_4O =
            "faults: {rules: [{kind: status, status: 503, probability: 1.0, models: [gpt-4o]}]}\n";

    @Test
    void a5xx_isRetriedOnTheRoutesOtherDeployment() throws Exception {
        SimHarness h = harness();
        Simulator sim = h.simulator(SICK_GPT_4O, 0);
        String base = "http://127.0.0.1:" + sim.port() + "/v1";
        Gateway g = h.gateway(
                "routes:\n  - name: m\n    strategy: priority\n    deployments:\n"
                        + "      - {name: sick, provider: openai-compatible, base_url: " + base
                        + ", model: gpt-4o, priority: 0}\n"
                        + "      - {name: well, provider: openai-compatible, base_url: " + base
                        + ", model: gpt-4o-mini, priority: 1}\n"
                        + "retry: {attempts: 2, backoff: 1ms}\n",
                Map.of());
        HttpResponse<String> r = h.post(g.port(), "/v1/chat/completions", chat("m", false, 5));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(Endpoints.DEPLOYMENT_HEADER)).hasValue("well");
        assertThat(r.headers().firstValue(Endpoints.TRIES_HEADER)).hasValue("2");
        Exposition s = h.metrics(sim.port());
        assertThat(sum(s, "llmlab_faults_injected_total", "kind", "status", "model", "gpt-4o"))
                .isEqualTo(1);
        assertThat(h.simRequests(sim)).isEqualTo(2);
        Exposition m = h.metrics(g.port());
        assertThat(sum(m, "llmlab_gateway_retries_total", "deployment", "sick", "error_type", "upstream_5xx"))
                .isEqualTo(1);
        assertThat(sum(m, "llmlab_gateway_fallbacks_total")).isZero();
    }

    @Test
    void whenEveryTryOfARouteGets5xx_itsFallbackAnswers() throws Exception {
        SimHarness h = harness();
        Simulator sim = h.simulator(SICK_GPT_4O, 0);
        String base = "http://127.0.0.1:" + sim.port() + "/v1";
        Gateway g = h.gateway(
                "routes:\n  - name: m\n    fallbacks: [backup]\n    deployments:\n"
                        + "      - {name: sick, provider: openai-compatible, base_url: " + base + ", model: gpt-4o}\n"
                        + "  - name: backup\n    deployments:\n"
                        + "      - {name: spare, provider: openai-compatible, base_url: " + base
                        + ", model: gpt-4o-mini}\n"
                        + "retry: {attempts: 1, backoff: 1ms}\n",
                Map.of());
        HttpResponse<String> r = h.post(g.port(), "/v1/chat/completions", chat("m", false, 5));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"object\":\"chat.completion\"");
        assertThat(r.headers().firstValue(Endpoints.DEPLOYMENT_HEADER)).hasValue("spare");
        assertThat(r.headers().firstValue(Endpoints.TRIES_HEADER)).hasValue("3"); // a try, a retry, the fallback
        assertThat(sum(h.metrics(sim.port()), "llmlab_faults_injected_total", "kind", "status", "model", "gpt-4o"))
                .isEqualTo(2);
        Exposition m = h.metrics(g.port());
        assertThat(sum(m, "llmlab_gateway_retries_total", "deployment", "sick", "error_type", "upstream_5xx"))
                .isEqualTo(1);
        assertThat(sum(
                        m,
                        "llmlab_gateway_fallbacks_total",
                        "route",
                        "backup",
                        "from_deployment",
                        "sick",
                        "to_deployment",
                        "spare"))
                .isEqualTo(1);
    }

    @Test
    void aBreaker_opensOnTheSimulatorsFailures_thenClosesAfterOpenFor_whenItsProbesSucceed() throws Exception {
        SimHarness h = harness();
        Simulator sim = h.simulator("", 0);
        Gateway g = h.gateway(
                "routes:\n  - name: m\n    deployments:\n"
                        + "      - {name: sim, provider: openai-compatible, base_url: http://127.0.0.1:" + sim.port()
                        + "/v1, model: gpt-4o-mini}\n"
                        + "retry: {attempts: 0}\n"
                        + "breaker: {min_requests: 3, failure_rate: 0.5, open_for: 300ms, probes: 2}\n",
                Map.of());
        for (int i = 0; i < 3; i++)
            assertThat(h.post(g.port(), "/v1/chat/completions", chat("m", false, 5), "x-llmlab-fault", "status=500")
                            .statusCode())
                    .isEqualTo(500);
        assertThat(sum(h.metrics(g.port()), "llmlab_gateway_breaker_state", "deployment", "sim", "state", "open"))
                .isEqualTo(1);
        long openedAt = System.nanoTime();
        HttpResponse<String> refused = h.post(g.port(), "/v1/chat/completions", chat("m", false, 5));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("circuit breakers open");
        assertThat(h.simRequests(sim)).as("an open breaker calls nobody").isEqualTo(3);

        // after open_for, the probes go through to the (now healthy) simulator and close it
        int status = 503;
        long until = System.nanoTime() + 5_000_000_000L;
        while (status == 503 && System.nanoTime() < until) {
            status = h.post(g.port(), "/v1/chat/completions", chat("m", false, 5))
                    .statusCode();
            if (status == 503) Thread.sleep(20); // polling for open_for to pass
        }
        assertThat(status).isEqualTo(200);
        assertThat((System.nanoTime() - openedAt) / 1e6).isGreaterThanOrEqualTo(290);
        Exposition half = h.metrics(g.port());
        assertThat(sum(half, "llmlab_gateway_breaker_state", "deployment", "sim", "state", "half_open"))
                .isEqualTo(1);
        assertThat(h.post(g.port(), "/v1/chat/completions", chat("m", false, 5)).statusCode())
                .isEqualTo(200);
        Exposition m = h.metrics(g.port());
        assertThat(sum(m, "llmlab_gateway_breaker_state", "deployment", "sim", "state", "closed"))
                .isEqualTo(1);
        // entered once each; closed also at the start
        Map<String, Double> entered = Map.of("open", 1.0, "half_open", 1.0, "closed", 2.0);
        entered.forEach((state, times) -> assertThat(
                        sum(m, "llmlab_gateway_breaker_transitions_total", "deployment", "sim", "state", state))
                .as(state)
                .isEqualTo(times));
        assertThat(h.simRequests(sim)).isEqualTo(5);
    }

    private static String oneDeployment(int simPort, String timeouts, String retry) {
        return timeouts + "routes:\n  - name: m\n    deployments:\n"
                + "      - {name: sim, provider: openai-compatible, base_url: http://127.0.0.1:" + simPort
                + "/v1, model: gpt-4o-mini}\n" + retry;
    }

    @Test
    void aHungUpstream_isA504_afterTheFirstByteTimeout() throws Exception {
        SimHarness h = harness();
        Simulator sim = h.simulator("", 0);
        Gateway g = h.gateway(
                oneDeployment(sim.port(), "timeouts: {first_byte: 300ms}\n", "retry: {attempts: 0}\n"), Map.of());
        long t0 = System.nanoTime();
        HttpResponse<String> r =
                h.post(g.port(), "/v1/chat/completions", chat("m", false, 5), "x-llmlab-fault", "hang");
        double ms = (System.nanoTime() - t0) / 1e6;
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).startsWith("{\"error\":{").contains("upstream_error");
        assertThat(ms).isBetween(290.0, 3000.0);
        assertThat(sum(h.metrics(sim.port()), "llmlab_faults_injected_total", "kind", "hang"))
                .isEqualTo(1);
        // the gateway serves on
        assertThat(h.post(g.port(), "/v1/chat/completions", chat("m", false, 5)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aHungUpstream_retriedUntilTheDeadline_isA504_atTheDeadline() throws Exception {
        SimHarness h = harness();
        Simulator sim = h.simulator("", 0);
        Gateway g = h.gateway(
                oneDeployment(
                        sim.port(),
                        "timeouts: {first_byte: 200ms}\n",
                        "retry: {attempts: 10, backoff: 1ms, deadline: 700ms}\n"),
                Map.of());
        long t0 = System.nanoTime();
        HttpResponse<String> r =
                h.post(g.port(), "/v1/chat/completions", chat("m", false, 5), "x-llmlab-fault", "hang");
        double ms = (System.nanoTime() - t0) / 1e6;
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("deadline");
        assertThat(ms).isBetween(690.0, 3000.0);
        // tries of 200 ms each until the deadline: three timed out, the fourth was cut by the deadline
        Exposition m = h.metrics(g.port());
        assertThat(sum(m, "llmlab_gateway_retries_total", "route", "m", "error_type", "timeout"))
                .isBetween(2.0, 4.0);
        assertThat(sum(h.metrics(sim.port()), "llmlab_faults_injected_total", "kind", "hang"))
                .isEqualTo(sum(m, "llmlab_gateway_retries_total", "route", "m") + 1);
    }
}
