package dev.llmlab.bench.report;

import dev.llmlab.bench.result.BenchResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A benchmark result as one self-contained HTML page, built from the result alone (so
 * {@code llmlab bench report RESULT.json --html FILE} rebuilds the page of any saved run).
 *
 * <p>What it shows, top to bottom: who was measured and how (target, model, open or closed loop,
 * load) with badges for a valid run, the SLO verdict and its grade; the throughputs and goodput;
 * each SLO target against its bound; for a sweep or search, latency and throughput against load
 * with the SLO bounds drawn in, the answer and the points; every metric's percentiles, and the
 * distributions of TTFT, ITL, TPOT and E2E as latency against percentile on a log scale (HdrHistogram's
 * own way of showing a tail: the curve is read from each metric's encoded histogram, not from the
 * few percentiles written beside it); latency and throughput per second; a stress run's bursts and
 * how long each took to recover; the server's queue, running requests and KV cache beside the
 * client's latency; energy; errors; and every field of the environment and configuration. A
 * figure the result lacks reads "none" or "unavailable", never 0.
 *
 * <p>Why one file: a report is mailed, attached to a ticket, archived next to its JSON and opened
 * years later, offline. So uPlot (about 50 kB) is inlined, nothing is fetched (a Content-Security-Policy
 * forbids it), and the page stays small whatever the run: an hour of seconds is bucketed to 600
 * points, a percentile curve has 200. Strings from the result are escaped; chart data is JSON
 * that the page's script hands to uPlot. When the charts are drawn, {@code <body>} gets
 * {@code data-charts-rendered} (how many) or {@code data-chart-error} (the first script error),
 * for tests and for anyone wondering why a chart is missing.
 *
 * <p>Stateless and thread-safe.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** The page of one result (a run, a sweep, a search, a stress run or a merged result). */
    public static String render(BenchResult result) {
        return new RunPage(result).html();
    }

    /**
     * The page comparing {@code results}, each named by the label at the same index; changes are
     * against the first.
     *
     * @throws IllegalArgumentException when the lists differ in length or are empty
     */
    public static String renderComparison(List<String> labels, List<BenchResult> results) {
        return new ComparisonPage(labels, results).html();
    }

    /** Writes {@link #render}'s page to {@code file} (replacing it). */
    public static void write(Path file, BenchResult result) throws IOException {
        writeFile(file, render(result));
    }

    /** Writes {@link #renderComparison}'s page to {@code file} (replacing it). */
    public static void writeComparison(Path file, List<String> labels, List<BenchResult> results) throws IOException {
        writeFile(file, renderComparison(labels, results));
    }

    private static void writeFile(Path file, String html) throws IOException {
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }
}
