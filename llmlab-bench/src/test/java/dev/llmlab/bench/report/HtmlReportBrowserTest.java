package dev.llmlab.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.llmlab.bench.result.BenchResult;
import dev.llmlab.bench.result.ResultJson;
import dev.llmlab.bench.result.Second;
import dev.llmlab.bench.result.Sweep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages in a real browser: headless Chromium loads each file, runs uPlot and the report's
 * script, and dumps the DOM, which must say every chart was drawn (one canvas each) and no script
 * failed. Skipped only where no Chromium is installed (CI installs Debian's {@code chromium}).
 *
 * <p>{@code -Dllmlab.report.keep=DIR} also keeps the pages there with a full-page screenshot of each,
 * to look at them.
 */
class HtmlReportBrowserTest {
    static final long TIMEOUT_S = 90;

    static Path chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium() {
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"), Path.of("/usr/bin/google-chrome")));
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!d.isEmpty()) candidates.add(Path.of(d, "chromium"));
        }
        chromium = candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** The DOM after the page's scripts ran, as Chromium dumps it. */
    String dumpDom(String name, String html) throws IOException, InterruptedException {
        Assumptions.assumeTrue(chromium != null, "no chromium binary");
        Path page = dir.resolve(name + ".html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        String keep = System.getProperty("llmlab.report.keep");
        if (keep != null) {
            Path k = Path.of(keep);
            Files.createDirectories(k);
            Files.writeString(k.resolve(name + ".html"), html, StandardCharsets.UTF_8);
            chromium(k.resolve(name + ".html"), "--window-size=1400,3000", "--screenshot=" + k.resolve(name + ".png"));
        }
        return chromium(page, "--dump-dom");
    }

    private String chromium(Path page, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> cmd = new ArrayList<>(List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-extensions",
                "--hide-scrollbars",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile"),
                "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        cmd.add(page.toUri().toString());
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("chromium took over " + TIMEOUT_S + " s on " + page + "; stderr:\n" + Files.readString(err));
        }
        String dom = Files.readString(out);
        assertThat(p.exitValue())
                .as("chromium exit; stderr:\n" + Files.readString(err))
                .isZero();
        return dom;
    }

    static void assertDrawn(String dom, int charts) {
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertThat(body.find()).as("a body in the dumped DOM").isTrue();
        assertThat(body.group(1))
                .doesNotContain("data-chart-error")
                .contains("data-charts-rendered=\"" + charts + "\"");
        assertThat(Pattern.compile("<canvas").matcher(dom).results().count()).isEqualTo(charts);
    }

    @Test
    void aFullRun_drawsEveryChart() throws Exception {
        BenchResult run = ReportFixtures.fullRun();
        // 4 distributions (TTFT, ITL, TPOT, E2E), 4 over time, the client's latency beside the one server read
        assertDrawn(dumpDom("run", HtmlReport.render(run)), 10);
    }

    @Test
    void aSweepOfTwentyPoints_drawsEveryChart() throws Exception {
        BenchResult sweep = ReportFixtures.sweep(20, Sweep.Kind.SLO_SEARCH, 1);
        // 4 against load, 4 distributions of the last point, 4 over time
        assertDrawn(dumpDom("sweep", HtmlReport.render(sweep)), 12);
    }

    @Test
    void aComparisonOfSweeps_drawsEveryChart() throws Exception {
        String html = HtmlReport.renderComparison(
                List.of("fast.json", "slow.json"),
                List.of(ReportFixtures.sweep(5, Sweep.Kind.SWEEP, 1), ReportFixtures.sweep(5, Sweep.Kind.SWEEP, 2)));
        // 6 distributions overlaid (ttft, itl, tpot, e2e and the two intended), 5 sweep curves
        assertDrawn(dumpDom("compare", html), 11);
    }

    @Test
    void aResultWithNothingOptional_drawsNothing_withoutError() throws Exception {
        var r = ResultJson.parse("{\"schema_version\": 1, \"summary\": {\"requests_completed\": 0}, \"metrics\": {}}");
        assertDrawn(dumpDom("empty", HtmlReport.render(r)), 0);
    }

    @Test
    void aOneSecondRunAndAOnePointSweep_drawWithoutError() throws Exception {
        var sweep = ReportFixtures.sweep(1, Sweep.Kind.BREAKING_POINT, 1);
        var answer = new Sweep.Answer(Double.NaN, Double.NaN, Double.NaN, Double.NaN, List.of(), 1);
        var r = sweep.withTimeseries(
                        List.of(new Second(0, 3, 90, 0, 50, 70, null, Double.NaN, Double.NaN, null, null, null)))
                .withSweep(new Sweep(
                        sweep.sweep().kind(),
                        sweep.sweep().axis(),
                        sweep.sweep().points(),
                        sweep.sweep().slos(),
                        answer));
        // 4 against load, 4 distributions, TTFT, requests and tokens over time (no E2E in that second)
        assertDrawn(dumpDom("one", HtmlReport.render(r)), 11);
    }

    @Test
    void aScriptError_isReported() throws Exception {
        // a chart whose element is missing: the page must say so rather than look fine
        String html = HtmlReport.render(ReportFixtures.run(1, 100, 5, 1)).replace("id=\"chart-1\"", "id=\"gone\"");
        String dom = dumpDom("broken", html);
        assertThat(dom).contains("data-chart-error=\"chart 1: no element for chart 1\"");
    }
}
