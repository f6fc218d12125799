package dev.llmlab.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmlab.metrics.Histograms.Estimate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Snapshots built from hand-made vLLM pages: rates, resets, gauges, and percentiles merged by buckets. */
class FleetTest {
    private static final long S = 1_000_000_000L;
    private static final Target R1 = Target.of("http://r1:8000");
    private static final Target R2 = Target.of("http://r2:8000");

    /** A vLLM page of one model: requests succeeded, running, KV use, and TTFT buckets (0.1, 1, +Inf). */
    static String page(String model, double succeeded, double running, double kv, double le01, double le1, double inf) {
        String l = "model_name=\"" + model + "\"";
        return String.format(Locale.ROOT, """
                # TYPE vllm:num_requests_running gauge
                vllm:num_requests_running{%1$s} %3$s
                # TYPE vllm:num_requests_waiting gauge
                vllm:num_requests_waiting{%1$s} 1
                # TYPE vllm:kv_cache_usage_perc gauge
                vllm:kv_cache_usage_perc{%1$s} %4$s
                # TYPE vllm:request_success counter
                vllm:request_success_total{%1$s,finished_reason="stop"} %2$s
                # TYPE vllm:time_to_first_token_seconds histogram
                vllm:time_to_first_token_seconds_bucket{%1$s,le="0.1"} %5$s
                vllm:time_to_first_token_seconds_bucket{%1$s,le="1.0"} %6$s
                vllm:time_to_first_token_seconds_bucket{%1$s,le="+Inf"} %7$s
                vllm:time_to_first_token_seconds_count{%1$s} %7$s
                vllm:time_to_first_token_seconds_sum{%1$s} 1.0
                """, l, succeeded, running, kv, le01, le1, inf);
    }

    private static Snapshot twoReplicas() {
        History h = new History(List.of(R1, R2), 70 * S);
        h.add(Scraper.read(R1, 0, 200, page("m", 100, 2, 0.4, 100, 120, 120)));
        h.add(Scraper.read(R2, 0, 200, page("m", 1000, 4, 0.9, 0, 0, 0)));
        // r1: 50 more requests; TTFT 40 at most 0.1 s, 10 more at most 1 s
        h.add(Scraper.read(R1, 10 * S, 200, page("m", 150, 3, 0.5, 140, 170, 170)));
        // r2 restarted (its counter went down): 30 since; TTFT 50 at most 1 s, 50 above it
        h.add(Scraper.read(R2, 10 * S, 200, page("m", 30, 5, 0.7, 0, 50, 100)));
        return Fleet.build(h, 10 * S, 10 * S, Instant.EPOCH, null);
    }

    @Test
    void aModelsRow_addsRatesAndRequests_averagesKv_andTakesPercentilesOfTheMergedBuckets() {
        Snapshot s = twoReplicas();
        assertThat(s.models()).hasSize(1);
        Row m = s.models().getFirst();
        assertThat(m.model()).isEqualTo("m");
        assertThat(m.replicas()).isEqualTo(2);
        assertThat(m.kind()).isEqualTo("vllm");
        Figures f = m.figures();
        assertThat(f.seconds()).isEqualTo(10.0);
        assertThat(f.requestsPerSecond()).isCloseTo((50 + 30) / 10.0, within(1e-9)); // the reset counts 30
        assertThat(f.running()).isEqualTo(8.0);
        assertThat(f.waiting()).isEqualTo(2.0);
        assertThat(f.kvCacheUsage()).isCloseTo(0.6, within(1e-9));
        // merged: 40 at most 0.1 s, 100 at most 1 s, 150 in all; rank 75 is 35 of the 60 in (0.1, 1]
        assertThat(f.ttftP50().status()).isEqualTo(Estimate.Status.OK);
        assertThat(f.ttftP50().value()).isCloseTo(0.1 + 0.9 * 35 / 60, within(1e-9));
        assertThat(f.ttftP50().observations()).isEqualTo(150);
        // not the mean of the replicas' medians (0.0625 and 1.0)
        assertThat(f.ttftP50().value()).isNotCloseTo((0.0625 + 1.0) / 2, within(0.01));
        // rank 148.5 is in +Inf: only a lower bound
        assertThat(f.ttftP99().status()).isEqualTo(Estimate.Status.CAPPED);
        assertThat(f.ttftP99().value()).isEqualTo(1.0);
        assertThat(SnapshotText.latency(f.ttftP99())).isEqualTo(">1.00s");
        // vLLM has no failed-request counter: unknown, not 0
        assertThat(f.errorRate()).isNaN();
        assertThat(f.itlP50()).isNull();
    }

    @Test
    void replicaRows_areEachReplicasOwn() {
        Snapshot s = twoReplicas();
        assertThat(s.replicas()).extracting(Row::replica).containsExactly("r1:8000", "r2:8000");
        Figures r1 = s.replicas().get(0).figures();
        Figures r2 = s.replicas().get(1).figures();
        assertThat(r1.requestsPerSecond()).isCloseTo(5.0, within(1e-9));
        assertThat(r2.requestsPerSecond()).isCloseTo(3.0, within(1e-9));
        assertThat(r1.ttftP50().value()).isCloseTo(0.1 * 25 / 40, within(1e-9));
        assertThat(r2.ttftP50().value()).isCloseTo(1.0, within(1e-9));
        assertThat(r1.kvCacheUsage()).isEqualTo(0.5);
    }

    @Test
    void aPageOfSeveralModels_givesAReplicaRowPerModel() {
        Target t = Target.of("http://router:8000");
        History h = new History(List.of(t), 70 * S);
        h.add(Scraper.read(t, 0, 200, page("a", 0, 1, 0.1, 0, 0, 0) + page("b", 0, 2, 0.2, 0, 0, 0)));
        h.add(Scraper.read(t, 5 * S, 200, page("a", 10, 1, 0.1, 10, 10, 10) + page("b", 20, 2, 0.2, 0, 20, 20)));
        Snapshot s = Fleet.build(h, 10 * S, 5 * S, Instant.EPOCH, null);
        assertThat(s.models()).extracting(Row::model).containsExactly("a", "b");
        assertThat(s.models().get(0).figures().requestsPerSecond()).isCloseTo(2.0, within(1e-9));
        assertThat(s.models().get(1).figures().requestsPerSecond()).isCloseTo(4.0, within(1e-9));
        assertThat(s.models().get(0).figures().seconds())
                .as("a shorter window than asked")
                .isEqualTo(5.0);
        assertThat(s.replicas()).extracting(Row::replica).containsOnly("router:8000");
    }

    /**
     * A model the page names only in a gauge had no requests yet (its labelled series come with the
     * first): 0 and idle, not the other model's figures; a model named only in families no row
     * shows (an idle engine's own metrics) has no row.
     */
    @Test
    void aModelWithoutSeriesOfItsOwn_readsZeroAndIdle_notAnotherModelsFigures() {
        Target t = Target.of("http://sim:8000");
        String others = """
                # TYPE vllm:kv_cache_usage_perc gauge
                vllm:kv_cache_usage_perc{model_name="b"} 0.25
                # TYPE llmlab_engine_steps counter
                llmlab_engine_steps_total{model_name="c"} 7
                """;
        History h = new History(List.of(t), 70 * S);
        h.add(Scraper.read(
                t,
                0,
                200,
                page("a", 0, 1, 0.1, 0, 0, 0).replace("vllm:kv_cache_usage_perc{model_name=\"a\"} 0.1\n", "")
                        + others));
        h.add(Scraper.read(
                t,
                10 * S,
                200,
                page("a", 50, 1, 0.1, 50, 50, 50).replace("vllm:kv_cache_usage_perc{model_name=\"a\"} 0.1\n", "")
                        + others));
        Snapshot s = Fleet.build(h, 10 * S, 10 * S, Instant.EPOCH, null);
        assertThat(s.models()).extracting(Row::model).containsExactly("a", "b");
        Figures a = s.models().get(0).figures();
        Figures b = s.models().get(1).figures();
        assertThat(a.requestsPerSecond()).isCloseTo(5.0, within(1e-9));
        assertThat(b.requestsPerSecond()).isZero();
        assertThat(b.ttftP50().status()).isEqualTo(Estimate.Status.EMPTY);
        assertThat(b.kvCacheUsage()).isEqualTo(0.25);
        assertThat(b.running()).as("a's running is not b's").isNaN();
    }

    @Test
    void aWindowThatObservedNothing_isIdle_andATargetThatFailed_saysWhy() {
        History h = new History(List.of(R1, R2), 70 * S);
        h.add(Scraper.read(R1, 0, 200, page("m", 100, 0, 0, 10, 10, 10)));
        h.add(Scraper.read(R1, 10 * S, 200, page("m", 100, 0, 0, 10, 10, 10)));
        h.add(Scraper.read(R2, 10 * S, 503, "overloaded"));
        Snapshot s = Fleet.build(h, 10 * S, 12 * S, Instant.EPOCH, null);
        Figures f = s.models().getFirst().figures();
        assertThat(f.requestsPerSecond()).isZero();
        assertThat(f.ttftP50().status()).isEqualTo(Estimate.Status.EMPTY);
        assertThat(SnapshotText.latency(f.ttftP50())).isEqualTo("idle");
        assertThat(s.targets()).extracting(TargetState::error).containsExactly(null, "HTTP 503");
        assertThat(s.targets().get(0).agoMillis()).isEqualTo(2000);
        assertThat(Scraper.read(R2, 0, 200, "<html>not metrics</html>").error())
                .isEqualTo("no Prometheus metrics in the response");
    }

    @Test
    void targetsOfOneServer_areNamedWithTheirPaths_andAUrlGivenTwiceIsRefused() {
        List<Target> t = Target.unique(List.of(
                Target.of("http://a:1/metrics?replica=1"),
                Target.of("http://a:1/metrics?replica=2"),
                Target.of("http://b:1")));
        assertThat(t).extracting(Target::name).containsExactly("a:1/metrics?replica=1", "a:1/metrics?replica=2", "b:1");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Target.unique(List.of(Target.of("http://a:1"), Target.of("http://a:1/metrics"))))
                .hasMessage("the same URL twice: http://a:1/metrics");
    }

    @Test
    void theWindow_isTheLatestReadingAndTheLatestOneAtLeastThatMuchOlder() {
        History h = new History(List.of(R1), 70 * S);
        for (int i = 0; i <= 80; i++) h.add(Scraper.read(R1, i * S, 200, page("m", i * 10, 0, 0, 0, 0, 0)));
        Scrape[] w = h.window(R1, 10 * S);
        assertThat(w[0].atNanos()).isEqualTo(70 * S);
        assertThat(w[1].atNanos()).isEqualTo(80 * S);
        assertThat(h.window(R1, 60 * S)[0].atNanos()).isEqualTo(20 * S);
        assertThat(h.window(R1, 300 * S)[0].atNanos())
                .as("the oldest kept: 70 s")
                .isEqualTo(10 * S);
    }

    /** A DCGM exporter 4 page of two GPUs: utilisation, memory, power, and the energy counter (J). */
    static String dcgm(double util0, double util1, double joules) {
        String l0 = "gpu=\"0\",UUID=\"GPU-a\",modelName=\"NVIDIA H200\",Hostname=\"node-7\"";
        String l1 = "gpu=\"1\",UUID=\"GPU-b\",modelName=\"NVIDIA H200\",Hostname=\"node-7\"";
        return String.format(Locale.ROOT, """
                # TYPE DCGM_FI_DEV_GPU_UTIL_RATIO gauge
                DCGM_FI_DEV_GPU_UTIL_RATIO{%1$s} %3$s
                DCGM_FI_DEV_GPU_UTIL_RATIO{%2$s} %4$s
                # TYPE DCGM_FI_DEV_FB_USED_BYTES gauge
                DCGM_FI_DEV_FB_USED_BYTES{%1$s} 40000000000
                DCGM_FI_DEV_FB_USED_BYTES{%2$s} 60000000000
                # TYPE DCGM_FI_DEV_BOARD_POWER_WATTS gauge
                DCGM_FI_DEV_BOARD_POWER_WATTS{%1$s} 600
                DCGM_FI_DEV_BOARD_POWER_WATTS{%2$s} 400
                # TYPE DCGM_FI_DEV_GPU_ENERGY_JOULES_TOTAL counter
                DCGM_FI_DEV_GPU_ENERGY_JOULES_TOTAL{%1$s} %5$s
                DCGM_FI_DEV_GPU_ENERGY_JOULES_TOTAL{%2$s} %5$s
                """, l0, l1, util0, util1, joules);
    }

    /** An llmlab gateway page, with its real names: requests, cost, tokens, cache hits, retries, breakers, cooldowns. */
    static String gateway(double requests, double usd, double tokens, double hits, double retries, double cooldowns) {
        return String.format(Locale.ROOT, """
                # TYPE llmlab_gateway_requests counter
                llmlab_gateway_requests_total{route="chat",deployment="a",provider="openai",operation="chat",status="200",error=""} %s
                # TYPE llmlab_gateway_cost_usd counter
                llmlab_gateway_cost_usd_total{route="chat",deployment="a",provider="openai",gen_ai_request_model="gpt"} %s
                # TYPE llmlab_gateway_tokens counter
                llmlab_gateway_tokens_total{route="chat",deployment="a",provider="openai",gen_ai_request_model="gpt",gen_ai_token_type="input",estimated="false"} %s
                # TYPE llmlab_gateway_cache_hits counter
                llmlab_gateway_cache_hits_total{route="chat"} %s
                # TYPE llmlab_gateway_retries counter
                llmlab_gateway_retries_total{route="chat",deployment="a",error="429"} %s
                # TYPE llmlab_gateway_breaker_state gauge
                llmlab_gateway_breaker_state{deployment="a",state="closed"} 0
                llmlab_gateway_breaker_state{deployment="a",state="open"} 1
                llmlab_gateway_breaker_state{deployment="b",state="closed"} 1
                llmlab_gateway_breaker_state{deployment="b",state="open"} 0
                # TYPE llmlab_gateway_key_cooldowns counter
                llmlab_gateway_key_cooldowns_total{deployment="a",key="k1"} %s
                """, requests, usd, tokens, hits, retries, cooldowns);
    }

    @Test
    void gpuAndGatewayRows_overTheWindow_andEnergyPerOutputToken() {
        Target gpuNode = Target.of("http://node-7:9400");
        Target gw = Target.of("http://gw:4000");
        History h = new History(List.of(R1, gpuNode, gw), 70 * S);
        h.add(Scraper.read(R1, 0, 200, page("m", 0, 0, 0, 0, 0, 0) + generated(0)));
        h.add(Scraper.read(gpuNode, 0, 200, dcgm(0.5, 0.7, 1000)));
        h.add(Scraper.read(gw, 0, 200, gateway(100, 1.0, 10_000, 10, 0, 0)));
        h.add(Scraper.read(R1, 10 * S, 200, page("m", 10, 0, 0, 0, 0, 0) + generated(2000)));
        h.add(Scraper.read(gpuNode, 10 * S, 200, dcgm(0.9, 0.5, 6000)));
        h.add(Scraper.read(gw, 10 * S, 200, gateway(150, 1.5, 20_000, 30, 5, 2)));
        Snapshot s = Fleet.build(h, 10 * S, 10 * S, Instant.EPOCH, null);

        assertThat(s.models())
                .extracting(Row::model)
                .as("a DCGM or gateway page has no model row")
                .containsExactly("m");
        GpuRow g = s.gpus().getFirst();
        assertThat(g.gpus()).isEqualTo(2);
        assertThat(g.utilization()).isCloseTo(0.7, within(1e-9));
        assertThat(g.memoryBytes()).isEqualTo(100e9);
        assertThat(g.watts()).isEqualTo(1000);
        assertThat(g.joulesPerSecond())
                .as("(6000 - 1000) J on each of 2 GPUs over 10 s")
                .isCloseTo(1000, within(1e-9));
        // 1000 J/s over 200 output tokens/s
        assertThat(s.joulesPerOutputToken()).isCloseTo(5, within(1e-9));

        GatewayRow w = s.gateways().getFirst();
        assertThat(w.kind()).isEqualTo("gateway");
        assertThat(w.requestsPerSecond()).isCloseTo(5, within(1e-9));
        assertThat(w.dollarsPerHour()).isCloseTo(0.5 / 10 * 3600, within(1e-9));
        assertThat(w.dollarsPerMillionTokens()).isCloseTo(0.5 / 10_000 * 1e6, within(1e-9));
        assertThat(w.cacheHitRate()).isCloseTo(20 / 50.0, within(1e-9));
        assertThat(w.retriesPerSecond()).isCloseTo(0.5, within(1e-9));
        assertThat(w.openBreakers()).isEqualTo(1);
        assertThat(w.keyCooldownsPerSecond()).isCloseTo(0.2, within(1e-9));
        assertThat(SnapshotText.render(s)).contains("node-7:9400", "gw:4000", "energy per output token: 5.000 J");
    }

    private static String generated(double tokens) {
        return "# TYPE vllm:generation_tokens counter\nvllm:generation_tokens_total{model_name=\"m\"} " + tokens + "\n";
    }
}
