package dev.llmlab.gateway.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmlab.gateway.account.Cost;
import dev.llmlab.gateway.account.Prices;
import dev.llmlab.gateway.account.TokenUsage;
import dev.llmlab.metrics.Exposition;
import dev.llmlab.metrics.HistogramPoint;
import dev.llmlab.metrics.Histograms;
import dev.llmlab.metrics.Labels;
import dev.llmlab.metrics.MetricFamily;
import dev.llmlab.metrics.MetricType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Records hand-made requests, scrapes the page and reads it back with the metrics reader of llmlab-metrics. */
class GatewayMetricsTest {
    private static final long MS = 1_000_000L;

    private final GatewayMetrics metrics = new GatewayMetrics();

    private static RequestRecord ok(long overheadMicros, long ttftMs, TokenUsage usage) {
        return new RequestRecord(
                "id",
                0,
                "team-a",
                Ingress.OPENAI_CHAT,
                "gpt-4o",
                "openai-east",
                "openai",
                "gpt-4o-2024-08-06",
                200,
                null,
                true,
                1,
                0,
                ttftMs * MS,
                3 * ttftMs * MS,
                2 * ttftMs * MS,
                overheadMicros * 1_000L,
                usage,
                Prices.builtIn().cost("gpt-4o-2024-08-06", usage),
                null);
    }

    private Exposition scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        Exposition page = Exposition.parse(out.toString(StandardCharsets.UTF_8));
        assertThat(page.skippedLines()).isZero();
        return page;
    }

    @Test
    void requestFinished_countsRequestsTokensAndCost() throws IOException {
        for (int i = 0; i < 3; i++) {
            metrics.requestStarted();
            metrics.requestFinished(ok(100, 50, new TokenUsage(1000, 200, 400, false)));
        }
        metrics.requestStarted();
        metrics.requestFinished(ok(100, 50, new TokenUsage(10, 5, 0, true)));
        metrics.requestStarted(); // still in flight at the scrape
        Exposition page = scrape();

        assertThat(page.value(
                        "llmlab_gateway_requests_total",
                        "route",
                        "gpt-4o",
                        "deployment",
                        "openai-east",
                        "gen_ai_provider_name",
                        "openai",
                        "gen_ai_operation_name",
                        "chat",
                        "status",
                        "200",
                        "error_type",
                        ""))
                .isEqualTo(4);
        assertThat(page.value("llmlab_gateway_requests_in_flight")).isEqualTo(1);
        Labels tokens = Labels.of(
                "route", "gpt-4o",
                "deployment", "openai-east",
                "gen_ai_provider_name", "openai",
                "gen_ai_request_model", "gpt-4o-2024-08-06",
                "gen_ai_token_type", "input",
                "estimated", "false");
        assertThat(page.value("llmlab_gateway_tokens_total", tokens)).isEqualTo(3000);
        assertThat(page.value(
                        "llmlab_gateway_tokens_total",
                        Labels.of(
                                "route", "gpt-4o",
                                "deployment", "openai-east",
                                "gen_ai_provider_name", "openai",
                                "gen_ai_request_model", "gpt-4o-2024-08-06",
                                "gen_ai_token_type", "output",
                                "estimated", "true")))
                .isEqualTo(5);
        Labels perModel = Labels.of(
                "route", "gpt-4o",
                "deployment", "openai-east",
                "gen_ai_provider_name", "openai",
                "gen_ai_request_model", "gpt-4o-2024-08-06");
        assertThat(page.value("llmlab_gateway_cached_input_tokens_total", perModel))
                .isEqualTo(1200);
        // 3 x (600 * 2.50 + 400 * 1.25 + 200 * 10) / 1e6 + (10 * 2.50 + 5 * 10) / 1e6
        assertThat(page.value("llmlab_gateway_cost_usd_total", perModel))
                .isCloseTo(3 * 0.004 + 0.000075, within(1e-12));
        assertThat(page.value("llmlab_gateway_cost_unknown_total", perModel)).isZero();

        MetricFamily.Histogram usage = (MetricFamily.Histogram)
                page.family("gen_ai_client_token_usage").orElseThrow();
        HistogramPoint input = usage.points().stream()
                .filter(h -> "input".equals(h.labels().get("gen_ai_token_type")))
                .findFirst()
                .orElseThrow();
        assertThat(input.total()).isEqualTo(4);
        assertThat(input.sum()).isEqualTo(3010);
        assertThat(input.labels().get("gen_ai_operation_name")).isEqualTo("chat");
    }

    @Test
    void overhead_subMillisecondQuantiles_readBackThroughBucketInterpolation() throws IOException {
        // 100 requests: 50 at 0.12 ms, 49 at 0.35 ms, 1 at 2.5 ms.
        for (int i = 0; i < 100; i++) {
            long micros = i < 50 ? 120 : i < 99 ? 350 : 2500;
            metrics.requestStarted();
            metrics.requestFinished(ok(micros, 50, null));
        }
        Exposition page = scrape();
        MetricFamily.Histogram overhead = (MetricFamily.Histogram)
                page.family("llmlab_gateway_overhead_seconds").orElseThrow();
        assertThat(overhead.type()).isEqualTo(MetricType.HISTOGRAM);
        // Children are resolved in advance, so the whole-answer series is on the page too, empty.
        HistogramPoint h = overhead.points().stream()
                .filter(p -> p.labels().equals(Labels.of("route", "gpt-4o", "stream", "true")))
                .findFirst()
                .orElseThrow();
        assertThat(overhead.points()).hasSize(2);
        assertThat(h.total()).isEqualTo(100);
        assertThat(h.sum()).isCloseTo((50 * 120 + 49 * 350 + 2500) / 1e6, within(1e-12));
        // p50: rank 50 falls in (0.0001, 0.00015], which holds all 50 of the first kind: its upper bound.
        assertThat(Histograms.quantile(0.5, h).value()).isCloseTo(0.00015, within(1e-12));
        // p99: rank 99 is the last of the 49 in (0.0003, 0.0004]: its upper bound.
        assertThat(Histograms.quantile(0.99, h).value()).isCloseTo(0.0004, within(1e-12));
        // p99.5 lies in (0.002, 0.003], halfway by rank.
        assertThat(Histograms.quantile(0.995, h).value()).isCloseTo(0.0025, within(1e-12));

        HistogramPoint ttft = ((MetricFamily.Histogram)
                        page.family("gen_ai_server_time_to_first_token_seconds").orElseThrow())
                .points()
                .getFirst();
        assertThat(ttft.total()).isEqualTo(100);
        // 50 ms sits on the bound 0.06's bucket (0.04, 0.06]: every rank interpolates there.
        assertThat(Histograms.quantile(0.5, ttft).value()).isCloseTo(0.05, within(1e-9));
    }

    @Test
    void errors_areLabelledAndKeepTtftOut() throws IOException {
        metrics.requestStarted();
        metrics.requestFinished(new RequestRecord(
                "id",
                0,
                null,
                Ingress.ANTHROPIC_MESSAGES,
                "claude",
                "anthropic-1",
                "anthropic",
                "claude-sonnet-4-5",
                504,
                "timeout",
                false,
                3,
                1,
                5 * MS,
                20 * MS,
                10 * MS,
                1 * MS,
                null,
                Cost.UNKNOWN,
                null));
        Exposition page = scrape();
        assertThat(page.value(
                        "llmlab_gateway_requests_total",
                        "route",
                        "claude",
                        "deployment",
                        "anthropic-1",
                        "gen_ai_provider_name",
                        "anthropic",
                        "gen_ai_operation_name",
                        "chat",
                        "status",
                        "504",
                        "error_type",
                        "timeout"))
                .isEqualTo(1);
        assertThat(page.value(
                        "gen_ai_server_request_duration_seconds_count",
                        "gen_ai_operation_name",
                        "chat",
                        "gen_ai_provider_name",
                        "anthropic",
                        "gen_ai_request_model",
                        "claude-sonnet-4-5",
                        "route",
                        "claude",
                        "deployment",
                        "anthropic-1",
                        "error_type",
                        "timeout"))
                .isEqualTo(1);
        assertThat(page.value(
                        "gen_ai_client_operation_duration_seconds_sum",
                        "gen_ai_operation_name",
                        "chat",
                        "gen_ai_provider_name",
                        "anthropic",
                        "gen_ai_request_model",
                        "claude-sonnet-4-5",
                        "route",
                        "claude",
                        "deployment",
                        "anthropic-1",
                        "error_type",
                        "timeout"))
                .isCloseTo(0.010, within(1e-12));
        // Its TTFT series exists (children are resolved in advance) but observed nothing.
        assertThat(page.value(
                        "gen_ai_server_time_to_first_token_seconds_count",
                        "gen_ai_operation_name",
                        "chat",
                        "gen_ai_provider_name",
                        "anthropic",
                        "gen_ai_request_model",
                        "claude-sonnet-4-5",
                        "route",
                        "claude",
                        "deployment",
                        "anthropic-1"))
                .isZero();
    }

    @Test
    void reliabilityEvents_areCounted() throws IOException {
        metrics.retry("r", "d1", "429");
        metrics.retry("r", "d1", "429");
        metrics.fallback("r", "d1", "d2");
        metrics.breakerState("d1", GatewayMetrics.BreakerState.OPEN);
        metrics.keyCooldown("d1", "key-2", 7.5);
        metrics.keyRemoved("d1", "key-3", 401);
        Exposition page = scrape();
        assertThat(page.value("llmlab_gateway_retries_total", "route", "r", "deployment", "d1", "error_type", "429"))
                .isEqualTo(2);
        assertThat(page.value(
                        "llmlab_gateway_fallbacks_total", "route", "r", "from_deployment", "d1", "to_deployment", "d2"))
                .isEqualTo(1);
        assertThat(page.value("llmlab_gateway_breaker_state", "deployment", "d1", "state", "open"))
                .isEqualTo(1);
        assertThat(page.value("llmlab_gateway_breaker_state", "deployment", "d1", "state", "closed"))
                .isZero();
        assertThat(page.value("llmlab_gateway_breaker_transitions_total", "deployment", "d1", "state", "open"))
                .isEqualTo(1);
        assertThat(page.value("llmlab_gateway_key_cooldowns_total", "deployment", "d1", "key", "key-2"))
                .isEqualTo(1);
        assertThat(page.value("llmlab_gateway_key_cooldown_seconds_total", "deployment", "d1", "key", "key-2"))
                .isEqualTo(7.5);
        assertThat(page.value("llmlab_gateway_keys_removed_total", "deployment", "d1", "key", "key-3", "status", "401"))
                .isEqualTo(1);
    }

    @Test
    void providerModels_pastTheBound_readAsOtherAndAreCounted() throws IOException {
        for (int i = 0; i < 1005; i++) {
            metrics.requestStarted();
            metrics.requestFinished(new RequestRecord(
                    "id",
                    0,
                    null,
                    Ingress.OPENAI_CHAT,
                    "openai/*",
                    "openai",
                    "openai",
                    "client-model-" + i,
                    200,
                    null,
                    false,
                    1,
                    0,
                    -1,
                    MS,
                    MS,
                    1000,
                    null,
                    Cost.UNKNOWN,
                    null));
        }
        Exposition page = scrape();
        assertThat(page.value("llmlab_gateway_label_overflow_total", "label", "gen_ai_request_model"))
                .isEqualTo(5);
        assertThat(page.value(
                        "gen_ai_server_request_duration_seconds_count",
                        "gen_ai_operation_name",
                        "chat",
                        "gen_ai_provider_name",
                        "openai",
                        "gen_ai_request_model",
                        "_OTHER",
                        "route",
                        "openai/*",
                        "deployment",
                        "openai",
                        "error_type",
                        ""))
                .isEqualTo(5);
    }

    @Test
    void write_passesPromtoolCheck() throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("promtool") || System.getenv("CI") != null, "promtool not installed");
        metrics.requestStarted();
        metrics.requestFinished(ok(100, 50, new TokenUsage(1000, 200, 400, false)));
        metrics.retry("r", "d1", "429");
        metrics.breakerState("d1", GatewayMetrics.BreakerState.HALF_OPEN);
        Path f = Files.createTempFile("metrics", ".txt");
        try (var out = Files.newOutputStream(f)) {
            metrics.write(out);
        }
        Process p = new ProcessBuilder("promtool", "check", "metrics")
                .redirectInput(f.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.delete(f);
        // Exit 3 is lint advice only; parse errors are exit 1. Our names should draw no advice at all.
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, cmd))) return true;
        }
        return false;
    }
}
