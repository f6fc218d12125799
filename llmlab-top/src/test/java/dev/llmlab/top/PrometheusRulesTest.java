package dev.llmlab.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SLO rules top writes, checked and run by Prometheus' own promtool (Debian's prometheus
 * package): they parse, and over a synthetic hour of vLLM series they page exactly when top would.
 */
class PrometheusRulesTest {
    private static final Objectives TTFT_P99 = new Objectives(
            List.of(new Slo("ttft", Slo.Metric.TTFT, "llama*", 99.0, Duration.ofMillis(100), null, null, null)),
            null,
            null,
            null,
            null);

    private static String promtool(Path dir, String... args) throws IOException, InterruptedException {
        Path bin = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(bin))
            throw new IllegalStateException(
                    "this test needs promtool (apt-get install prometheus; .ci/run installs it)");
        List<String> cmd = new java.util.ArrayList<>(List.of(bin.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theRules_parse_andPageOnAFastBurn_overASyntheticHour() throws Exception {
        Path dir = Files.createTempDirectory("llmlab-rules");
        try {
            Files.writeString(dir.resolve("rules.yml"), PrometheusRules.write(TTFT_P99, "vllm"));
            assertThat(promtool(dir, "check", "rules", "rules.yml")).contains("SUCCESS: 6 rules found");
            // llama: 100 requests a minute, 80 within 0.1 s: 20% slow against a 1% budget, a burn of 20x;
            // mistral, outside the SLO's models, all slow: no alert
            Files.writeString(dir.resolve("test.yml"), """
                    rule_files: [rules.yml]
                    evaluation_interval: 1m
                    tests:
                      - interval: 1m
                        input_series:
                          - series: 'vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="llama-8b"}'
                            values: '0+80x120'
                          - series: 'vllm:time_to_first_token_seconds_count{model_name="llama-8b"}'
                            values: '0+100x120'
                          - series: 'vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="mistral"}'
                            values: '0+0x120'
                          - series: 'vllm:time_to_first_token_seconds_count{model_name="mistral"}'
                            values: '0+100x120'
                        promql_expr_test:
                          - expr: 'round(llmlab:slo_bad_ratio:5m, 0.001)'
                            eval_time: 30m
                            exp_samples:
                              - labels: '{model_name="llama-8b",slo="ttft"}'
                                value: 0.2
                        alert_rule_test:
                          - eval_time: 90m
                            alertname: LlmlabSloBurnPage
                            exp_alerts:
                              - exp_labels: {severity: page, slo: ttft, model_name: llama-8b}
                                exp_annotations:
                                  summary: 'SLO ttft (ttft p99 <= 100ms) burns its error budget at 14.4x or more over 1h and 5m'
                    """);
            promtool(dir, "test", "rules", "test.yml");
        } finally {
            try (var all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void anSloTheKindCannotMeasure_saysWhich() {
        Objectives errors = new Objectives(
                List.of(new Slo("errors", Slo.Metric.ERRORS, null, null, null, 99.9, null, null)),
                null,
                null,
                null,
                null);
        assertThatThrownBy(() -> PrometheusRules.write(errors, "vllm"))
                .hasMessage("SLO 'errors' needs requests_failed, which vllm does not export");
        assertThat(PrometheusRules.write(errors, "tgi")).contains("tgi_request_failure_total");
        assertThatThrownBy(() -> PrometheusRules.write(TTFT_P99, "nginx"))
                .hasMessageContaining("no server kind 'nginx'");
        assertThatThrownBy(() -> PrometheusRules.write(Objectives.NONE, "vllm")).hasMessageContaining("no slos");
    }
}
