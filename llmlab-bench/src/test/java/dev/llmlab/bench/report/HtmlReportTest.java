package dev.llmlab.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmlab.bench.report.Charts.Agg;
import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.Energy;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.bench.result.Second;
import dev.llmlab.bench.result.Server;
import dev.llmlab.bench.result.SloVerdict;
import dev.llmlab.bench.result.Stress;
import dev.llmlab.bench.result.Summary;
import dev.llmlab.bench.result.Sweep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class HtmlReportTest {
    @TempDir
    Path dir;

    /** The chart specs a page hands to its script. */
    static JsonNode charts(String html) {
        Matcher m = Pattern.compile(
                        "<script type=\"application/json\" id=\"llmlab-charts\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).isTrue();
        return JsonMapper.builder().build().readTree(m.group(1));
    }

    static int chartCount(BenchResult result) {
        RunPage page = new RunPage(result);
        page.html();
        return page.chartCount();
    }

    @Test
    void render_isSelfContained() {
        String html = HtmlReport.render(ReportFixtures.fullRun());
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("Content-Security-Policy")
                .contains("var uPlot=") // the library itself, inlined
                .contains(".uplot") // and its stylesheet
                .doesNotContainPattern("(?i)<script[^>]*\\ssrc\\s*=")
                .doesNotContainPattern("(?i)<link\\b")
                .doesNotContainPattern("(?i)\\s(src|href|action|poster)\\s*=\\s*[\"']?\\s*(https?:)?//")
                .doesNotContainPattern("(?i)@import")
                .doesNotContainPattern("(?i)url\\(\\s*[\"']?(https?:)?//");
        // every link is to an anchor of the page itself
        Matcher m = Pattern.compile("\\shref=\"([^\"]*)\"").matcher(html);
        while (m.find()) assertThat(m.group(1)).startsWith("#");
    }

    @Test
    void render_fullRun_showsEverySection() {
        BenchResult r = ReportFixtures.fullRun();
        String html = HtmlReport.render(r);
        assertThat(html)
                .contains("meta-llama/Llama-3.1-8B-Instruct")
                .contains("http://10.0.0.7:8000/v1")
                .contains("open loop at 25 req/s, poisson arrivals")
                .contains("valid run")
                .contains("SLO failed")
                .contains("grade: Poor (1/4)")
                .contains("ttft_p95")
                .contains("no sample") // a null SLO value
                .contains("p99.9")
                .contains("ttft_intended")
                .contains("e2e_intended")
                .contains("connection refused") // the server source that could not be read
                .contains("spike")
                .contains(">never<") // a burst that never recovered
                .contains("unavailable")
                .contains("no readable RAPL domain") // energy, with the reason
                .contains("Test CPU @ 3 GHz")
                .contains("target_models")
                .contains("<code>seed</code>")
                // a setting an open loop does not have reads so, not 0
                .containsPattern("<code>concurrency</code></td><td[^>]*>n/a \\(open loop\\)");
        // every metric has a row in the percentile table
        for (String m : r.metrics().keySet()) assertThat(html).contains("<code>" + m + "</code>");
        JsonNode charts = charts(html);
        // 4 distributions, 4 over time, the client beside the one server source read
        assertThat(charts.size()).isEqualTo(10).isEqualTo(chartCount(r));
        for (int i = 0; i < charts.size(); i++) assertThat(html).contains("id=\"chart-" + i + "\"");
    }

    @Test
    void render_escapesEveryStringOfTheResult() {
        BenchResult full = ReportFixtures.fullRun();
        String evil = "<script>alert(1)</script>";
        Summary s = full.summary();
        Map<String, Long> errors = new LinkedHashMap<>(s.errors());
        errors.put("<b>bold</b>", 2L);
        Summary invalid = new Summary(
                s.requestsCompleted(),
                s.requestsFailed(),
                s.requestsAbandoned(),
                s.durationS(),
                s.requestThroughput(),
                s.outputTokenThroughput(),
                s.totalTokenThroughput(),
                s.goodput(),
                s.goodputPerSlo(),
                false,
                "</script><script>alert(3)</script>",
                null,
                s.usageChecked(),
                s.usageMismatches(),
                errors,
                List.of(new dev.llmlab.bench.result.ErrorSample("http_400", "HTTP 400: " + evil, 2)),
                s.scheduleLag(),
                s.sentRate(),
                s.connectionsOpened());
        var e = full.environment();
        Map<String, Number> params = new LinkedHashMap<>(full.stress().params());
        params.put(evil, 1);
        List<SloVerdict.Target> targets = new ArrayList<>(full.slo().targets());
        SloVerdict.Target t0 = targets.get(0);
        targets.set(
                0,
                new SloVerdict.Target(
                        evil,
                        t0.kind(),
                        t0.metric(),
                        t0.percentile(),
                        t0.low(),
                        t0.bound(),
                        t0.unit(),
                        t0.value(),
                        t0.met(),
                        t0.confidence(),
                        t0.samples(),
                        t0.exceeding(),
                        t0.goodput()));
        BenchResult r = full.withConfig(full.config().toBuilder()
                        .model(evil)
                        .url("http://x/\"><img src=x onerror=alert(2)>")
                        .build())
                .withSummary(invalid)
                .withStress(
                        new Stress("spike", params, "ttft_p50", full.stress().bursts()))
                .withServer(new Server(List.of(
                        full.server().sources().get(0),
                        new Server.Source("javascript:alert(4)", "unknown", evil, List.of()))))
                .withSlo(new SloVerdict(targets, false, 0.9, 21.5, full.slo().grade()))
                .withEnergy(Energy.unavailable(evil));
        r = new BenchResult(
                r.schemaVersion(),
                r.config(),
                new dev.llmlab.bench.result.Environment(
                        e.llmlabVersion(), e.jdk(), e.os(), e.cores(), "'\"&<>", e.memoryBytes(), e.targetModels()),
                r.summary(),
                r.metrics(),
                r.timeseries(),
                r.slo(),
                r.server(),
                r.energy(),
                r.baseline(),
                r.sweep(),
                r.stress());
        String html = HtmlReport.render(r);
        assertThat(html)
                .doesNotContain("<script>alert")
                .doesNotContain("<img")
                .doesNotContain("<b>bold")
                .doesNotContain("</script><script>alert(3)")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;")
                .contains("&lt;b&gt;bold&lt;/b&gt;")
                .contains("&#39;&quot;&amp;&lt;&gt;")
                .contains("INVALID run");
        // three script elements: the chart data, uPlot, the report's own
        assertThat(Pattern.compile("<script").matcher(html).results().count()).isEqualTo(3);
    }

    @Test
    void renderComparison_escapesLabelsInTheChartData() {
        String label = "</script><script>alert(5)</script>";
        String html = HtmlReport.renderComparison(
                List.of("a.json", label),
                List.of(ReportFixtures.run(1, 200, 10, 1), ReportFixtures.run(2, 200, 10, 1.5)));
        assertThat(html).doesNotContain("<script>alert(5)").contains("&lt;/script&gt;&lt;script&gt;alert(5)");
        assertThat(Pattern.compile("<script").matcher(html).results().count()).isEqualTo(3);
        assertThat(charts(html).get(0).at("/series/1/label").asString()).isEqualTo(label); // intact once parsed
    }

    @Test
    void render_absentOptionalFields_sayNoneOrUnavailable() {
        BenchResult r = ResultJson.parse("""
                {"schema_version": 1, "summary": {"requests_completed": 0, "requests_failed": 0, "goodput": null,
                 "valid": true}, "metrics": {}}""");
        String html = HtmlReport.render(r);
        assertThat(html)
                .contains("none: the run was given no <code>--slo</code>")
                .contains("none: the run scraped no server metrics")
                .contains("unavailable: the result has no energy measurement")
                .contains("none: the result has no per-second series")
                .contains("none: the result has no metrics")
                .contains("no SLO")
                .contains("Errors: none")
                .doesNotContain(">0 J");
        assertThat(charts(html).size()).isZero();
    }

    @Test
    void render_energy_availableShowsFigures_unavailableNeverZero() {
        BenchResult r = ReportFixtures.run(3, 100, 5, 1);
        String off = HtmlReport.render(r.withEnergy(Energy.unavailable("no nvidia-smi")));
        assertThat(off).contains("unavailable").contains("no nvidia-smi").doesNotContain("J per output token");
        String on =
                HtmlReport.render(r.withEnergy(Energy.measured(List.of("rapl:package-0"), 1234.5, 61.7, 0.021, 20.0)));
        assertThat(on)
                .contains("1,235")
                .contains("61.70")
                .contains("0.0210")
                .contains("rapl:package-0")
                .contains("J per output token");
    }

    @Test
    void render_aSweep_drawsLoadCurvesWithSloLines_andTheAnswer() {
        BenchResult r = ReportFixtures.sweep(20, Sweep.Kind.SLO_SEARCH, 1);
        String html = HtmlReport.render(r);
        assertThat(html)
                .contains("slo-search \u00b7 20 points")
                .contains("max passing load")
                .contains("first failing load")
                .contains(">95<")
                .contains("stopped early: over-saturated")
                .contains("synchronous")
                .contains("rate 40.0")
                .contains("Latency (last point)");
        JsonNode charts = charts(html);
        // 4 against load, 4 distributions, 4 over time
        assertThat(charts.size()).isEqualTo(12).isEqualTo(chartCount(r));
        JsonNode ttft = charts.get(0);
        assertThat(ttft.path("kind").asString()).isEqualTo("num");
        assertThat(ttft.path("x").size()).isEqualTo(20);
        List<String> labels = new ArrayList<>();
        for (JsonNode s : ttft.path("series")) labels.add(s.path("label").asString());
        assertThat(labels).containsExactly("ttft p50", "ttft p95", "ttft p99", "SLO ttft_p95 \u2264 500 ms");
        for (JsonNode v : ttft.at("/series/3/data")) assertThat(v.asDouble()).isEqualTo(500.0);
        // loads ascend, the synchronous point at its achieved rate
        double prev = -1;
        for (JsonNode v : ttft.path("x")) {
            assertThat(v.asDouble()).isGreaterThanOrEqualTo(prev);
            prev = v.asDouble();
        }
        assertThat(Pattern.compile("<tr><td>").matcher(html).results().count()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void render_anHourOfSeconds_staysBoundedAndSmall() {
        List<Second> ts = new ArrayList<>();
        for (int s = 0; s < 3600; s++) {
            ts.add(new Second(
                    s,
                    20 + s % 5,
                    900 + s % 50,
                    s % 97 == 0 ? 1 : 0,
                    80 + s % 13,
                    300 + s % 31,
                    "x".repeat(300),
                    900,
                    2000 + s % 7,
                    null,
                    22L,
                    null));
        }
        String html = HtmlReport.render(ReportFixtures.run(4, 200, 10, 1).withTimeseries(ts));
        JsonNode charts = charts(html);
        int time = 0;
        for (JsonNode c : charts) {
            if (!c.path("kind").asString().equals("time")) continue;
            time++;
            assertThat(c.path("x").size()).isEqualTo(600);
            for (JsonNode s : c.path("series"))
                assertThat(s.path("data").size()).isEqualTo(600);
        }
        assertThat(time).isEqualTo(4);
        assertThat(html).contains("per 6 s bucket");
        assertThat(html.length()).isLessThan(200_000); // uPlot is 50 kB of it
    }

    @Test
    void bucket_meansAndMaxima_skippingGaps() {
        double[] x = new double[3600];
        double[] a = new double[3600];
        double[] b = new double[3600];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            a[i] = i % 6;
            b[i] = i % 6 == 5 ? Double.NaN : i;
        }
        b[12] = b[13] = b[14] = b[15] = b[16] = b[17] = Double.NaN;
        Charts.Bucketed r = Charts.bucket(x, List.of(a, b), List.of(Agg.MEAN, Agg.MAX), 600);
        assertThat(r.size()).isEqualTo(6);
        assertThat(r.x()).hasSize(600);
        assertThat(r.x()[1]).isEqualTo(6);
        assertThat(r.columns().get(0)[0]).isEqualTo(2.5);
        assertThat(r.columns().get(1)[1]).isEqualTo(10); // 11 is a gap
        assertThat(r.columns().get(1)[2]).isNaN(); // all gaps
        // short series are left alone
        Charts.Bucketed same =
                Charts.bucket(new double[] {0, 1, 2}, List.of(new double[] {5, 6, 7}), List.of(Agg.MAX), 600);
        assertThat(same.size()).isEqualTo(1);
        assertThat(same.columns().get(0)).containsExactly(5, 6, 7);
        // and any length ends within the bound
        for (int n : new int[] {599, 600, 601, 1799, 3601, 86_400}) {
            double[] xs = new double[n];
            assertThat(Charts.bucket(xs, List.of(xs), List.of(Agg.MEAN), 600).x().length)
                    .as("n=" + n)
                    .isBetween(1, 600);
        }
    }

    @Test
    void percentileCurve_ofAKnownHistogram() {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        for (int ms = 1; ms <= 1000; ms++) h.recordValue(ms * 1_000_000L);
        assertThat(Charts.nines(h.getTotalCount())).isEqualTo(3.0);
        double[] y = Charts.percentileCurve(h, new double[] {0, 1, 2, 3, 3.5});
        assertThat(y[0]).isCloseTo(1, within(0.01));
        assertThat(y[1]).isCloseTo(900, within(1.0)); // p90
        assertThat(y[2]).isCloseTo(990, within(1.0)); // p99
        assertThat(y[3]).isCloseTo(999, within(1.0)); // p99.9
        assertThat(y[4]).isNaN(); // beyond what 1000 samples resolve
        double[] grid = Charts.ninesGrid(3, Charts.CDF_POINTS);
        assertThat(grid).hasSize(200);
        assertThat(grid[0]).isZero();
        assertThat(grid[199]).isEqualTo(3.0);
        double[] curve = Charts.percentileCurve(h, grid);
        for (int i = 1; i < curve.length; i++) assertThat(curve[i]).isGreaterThanOrEqualTo(curve[i - 1]);
        assertThat(Charts.percentile(2)).isCloseTo(99, within(1e-9));
        assertThat(Charts.nines(5)).isEqualTo(1.0);
        assertThat(Charts.nines(10_000_000)).isEqualTo(5.0);
    }

    @Test
    void render_distributions_readTheEncodedHistograms() {
        BenchResult r = ReportFixtures.run(5, 2000, 20, 1);
        JsonNode ttft = charts(HtmlReport.render(r)).get(0);
        assertThat(ttft.path("kind").asString()).isEqualTo("cdf");
        assertThat(ttft.path("xMax").asDouble()).isCloseTo(Math.log10(2000 * 149 / 150.0), within(0.01));
        assertThat(ttft.path("x").size()).isEqualTo(Charts.CDF_POINTS);
        assertThat(ttft.at("/series/0/label").asString()).isEqualTo("ttft");
        assertThat(ttft.at("/series/1/label").asString()).isEqualTo("ttft_intended");
        JsonNode y = ttft.at("/series/0/data");
        // the curve passes through the percentiles written beside the histogram
        assertThat(y.get(0).asDouble()).isCloseTo(r.metric("ttft").min(), within(0.5));
        int p90 = (int) Math.round(199 / ttft.path("xMax").asDouble()); // x = 1 is p90: the nearest grid point
        assertThat(y.get(p90).asDouble()).isCloseTo(r.metric("ttft").p90(), within(10.0));
    }

    @Test
    void renderComparison_colorsChanges_andOverlaysSweeps() {
        BenchResult fast = ReportFixtures.sweep(4, Sweep.Kind.SWEEP, 1);
        BenchResult slow = ReportFixtures.sweep(4, Sweep.Kind.SWEEP, 2);
        String html = HtmlReport.renderComparison(List.of("fast.json", "slow.json"), List.of(fast, slow));
        assertThat(html)
                .contains("class=\"worse\">+")
                .contains("(baseline)")
                .contains("change: slow.json")
                .contains("<code>ttft p99</code>")
                .contains("Sweeps");
        JsonNode charts = charts(html);
        // six distributions (ttft, itl, tpot, e2e and the two intended), five sweep curves
        assertThat(charts.size()).isEqualTo(11);
        assertThat(charts.get(0).path("series").size()).isEqualTo(2);
        String reversed = HtmlReport.renderComparison(List.of("slow.json", "fast.json"), List.of(slow, fast));
        assertThat(reversed).contains("class=\"better\">-");
        assertThatThrownBy(() -> HtmlReport.renderComparison(List.of("a"), List.of(fast, slow)))
                .isInstanceOf(IllegalArgumentException.class);
        // not all sweeps: no sweep section
        assertThat(HtmlReport.renderComparison(List.of("a", "b"), List.of(fast, ReportFixtures.run(1, 100, 5, 1))))
                .doesNotContain("id=\"sweeps\"");
    }

    @Test
    void write_writesThePage() throws Exception {
        Path f = dir.resolve("r.html");
        HtmlReport.write(f, ReportFixtures.run(6, 100, 5, 1));
        assertThat(Files.readString(f)).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        Path c = dir.resolve("c.html");
        HtmlReport.writeComparison(
                c, List.of("a", "b"), List.of(ReportFixtures.run(6, 100, 5, 1), ReportFixtures.run(7, 100, 5, 1)));
        assertThat(Files.readString(c)).contains("llmlab bench comparison");
    }
}
