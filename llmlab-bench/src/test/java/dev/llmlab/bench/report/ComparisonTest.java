package dev.llmlab.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmlab.bench.result.Baseline;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.ResultJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    /** A hand-written result with only the figures compared: the rest is absent. */
    static BenchResult result(double rps, double ttftP50, double ttftP99, long itlCount) {
        return ResultJson.parse("""
        {"schema_version": 1,
         "summary": {"request_throughput": %s, "output_token_throughput": 100, "total_token_throughput": 300, "goodput": null},
         "metrics": {"ttft": {"count": 10, "p50": %s, "p90": 20, "p99": %s},
                     "itl": {"count": %d, "p50": 5, "p90": 6, "p99": 7}}}
        """.formatted(rps, ttftP50, ttftP99, itlCount));
    }

    static Comparison.Row row(List<Comparison.Row> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void rows_giveEachFiguresChangeAgainstTheFirst() {
        List<Comparison.Row> rows = Comparison.rows(List.of(result(10, 100, 200, 5), result(8, 120, 150, 5)));
        assertThat(row(rows, "request_throughput").change(1)).isCloseTo(-0.2, within(1e-12));
        assertThat(row(rows, "ttft p50").change(1)).isCloseTo(0.2, within(1e-12));
        assertThat(row(rows, "ttft p99").change(1)).isCloseTo(-0.25, within(1e-12));
        // goodput was null in both: left out, not compared with 0
        assertThat(rows).extracting(Comparison.Row::name).doesNotContain("goodput");
        assertThat(Comparison.table(List.of("a.json", "b.json"), rows))
                .contains("ttft p50")
                .contains("+20.0%")
                .contains("-20.0%");
    }

    @Test
    void regressions_areWorseThanAllowed_eachInItsOwnDirection() {
        BenchResult base = result(10, 100, 200, 5);
        // 20% fewer requests and a 20% slower median; a 25% faster p99 is no regression
        BenchResult worse = result(8, 120, 150, 5);
        assertThat(Comparison.regressions(base, worse, 0.10))
                .extracting(Comparison.Row::name)
                .containsExactlyInAnyOrder("request_throughput", "ttft p50");
        assertThat(Comparison.regressions(base, worse, 0.25)).isEmpty();
        // the other way round: better throughput, but the p99 got 33% worse
        assertThat(Comparison.regressions(worse, base, 0.10))
                .extracting(Comparison.Row::name)
                .containsExactly("ttft p99");
        assertThat(Comparison.regressions(base, base, 0)).isEmpty();
    }

    @Test
    void aMetricWithNoSamples_isLeftOut() {
        List<Comparison.Row> rows = Comparison.rows(List.of(result(10, 100, 200, 0), result(10, 100, 200, 5)));
        assertThat(row(rows, "itl p50").change(1)).isNaN(); // no samples in the first: nothing to compare
        assertThat(Comparison.regressions(result(10, 100, 200, 0), result(10, 100, 200, 5), 0))
                .isEmpty();
    }

    @Test
    void workloadDifferences_nameEverySettingThatDiffers() {
        BenchResult base = result(10, 10, 20, 100)
                .withConfig(dev.llmlab.bench.result.RunConfig.builder()
                        .api("openai-chat")
                        .model("gpt-4o")
                        .inputTokens("128")
                        .maxTokens(128)
                        .stream(true)
                        .mode(dev.llmlab.bench.result.RunConfig.Mode.OPEN)
                        .rate(10)
                        .build());
        BenchResult same = result(9, 11, 22, 100).withConfig(base.config());
        assertThat(Comparison.workloadDifferences(base, same)).isEmpty();
        BenchResult other = result(9, 11, 22, 100)
                .withConfig(
                        base.config().toBuilder().model("gpt-4o-mini").rate(20).build());
        assertThat(Comparison.workloadDifferences(base, other))
                .containsExactly("model: gpt-4o (baseline) vs gpt-4o-mini", "rate: 10.0 (baseline) vs 20.0");
        // A result from before config.tokenizer counted with the default, o200k_base.
        assertThat(Comparison.workloadDifferences(
                        base,
                        same.withConfig(base.config().toBuilder()
                                .tokenizer("o200k_base")
                                .build())))
                .isEmpty();
        assertThat(Comparison.workloadDifferences(
                        base,
                        same.withConfig(base.config().toBuilder()
                                .tokenizer("file:tokenizer.json")
                                .build())))
                .containsExactly("tokenizer: o200k_base (baseline) vs file:tokenizer.json");
    }

    @Test
    void baseline_recordsEveryFigure_andCountsTheRegressions() {
        Baseline b = Comparison.baseline("old.json", result(10, 100, 200, 5), result(8, 120, 150, 5), 0.10);
        assertThat(b.file()).isEqualTo("old.json");
        assertThat(b.regressed()).isEqualTo(2);
        Baseline.Figure ttft = b.figures().stream()
                .filter(f -> f.name().equals("ttft p50"))
                .findFirst()
                .orElseThrow();
        assertThat(ttft.baseline()).isEqualTo(100.0);
        assertThat(ttft.value()).isEqualTo(120.0);
        assertThat(ttft.change()).isCloseTo(0.2, within(1e-12));
        assertThat(ttft.worse()).isTrue();
        assertThat(ttft.higherIsBetter()).isFalse();
    }
}
