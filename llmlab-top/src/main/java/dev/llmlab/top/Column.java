package dev.llmlab.top;

import dev.llmlab.metrics.Histograms.Estimate;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A figure column of the views, in the order they show them: its heading, its text, and the
 * number it sorts by. One list, so that the text table and the terminal UI cannot disagree on a
 * column's name or format (docs/top.md defines each).
 */
public enum Column {
    REQUESTS_PER_SECOND("REQ/S", f -> SnapshotText.num(f.requestsPerSecond(), 1), Figures::requestsPerSecond),
    ERROR_RATE("ERR%", f -> SnapshotText.pct(f.errorRate()), Figures::errorRate),
    RUNNING("RUN", f -> SnapshotText.num(f.running(), 0), Figures::running),
    WAITING("WAIT", f -> SnapshotText.num(f.waiting(), 0), Figures::waiting),
    KV_CACHE_USAGE("KV%", f -> SnapshotText.pct(f.kvCacheUsage()), Figures::kvCacheUsage),
    TTFT_P50("TTFT50", Figures::ttftP50),
    TTFT_P99("TTFT99", Figures::ttftP99),
    ITL_P50("ITL50", Figures::itlP50),
    ITL_P99("ITL99", Figures::itlP99),
    E2E_P99("E2E99", Figures::e2eP99),
    INPUT_TOKENS_PER_SECOND(
            "IN TOK/S", f -> SnapshotText.num(f.inputTokensPerSecond(), 0), Figures::inputTokensPerSecond),
    OUTPUT_TOKENS_PER_SECOND(
            "OUT TOK/S", f -> SnapshotText.num(f.outputTokensPerSecond(), 0), Figures::outputTokensPerSecond),
    PREEMPTIONS_PER_SECOND(
            "PREEMPT/S", f -> SnapshotText.num(f.preemptionsPerSecond(), 2), Figures::preemptionsPerSecond),
    PREFIX_CACHE_HIT_RATE("PREFIX%", f -> SnapshotText.pct(f.prefixCacheHitRate()), Figures::prefixCacheHitRate),
    /** Only with a GPU price in the config: a dash for every row otherwise. */
    DOLLARS_PER_MILLION_OUTPUT_TOKENS(
            "$/M OUT",
            f -> SnapshotText.num(f.dollarsPerMillionOutputTokens(), 2),
            Figures::dollarsPerMillionOutputTokens);

    private final String header;
    private final Function<Figures, String> text;
    private final ToDoubleFunction<Figures> value;
    private final Function<Figures, Estimate> estimate;

    Column(String header, Function<Figures, String> text, ToDoubleFunction<Figures> value) {
        this.header = header;
        this.text = text;
        this.value = value;
        this.estimate = f -> null;
    }

    Column(String header, Function<Figures, Estimate> estimate) {
        this.header = header;
        this.text = f -> SnapshotText.latency(estimate.apply(f));
        this.value = f -> {
            Estimate e = estimate.apply(f);
            return e == null ? Double.NaN : e.value();
        };
        this.estimate = estimate;
    }

    /** The heading, as the text table prints it ({@code REQ/S}, {@code TTFT99}). */
    public String header() {
        return header;
    }

    /** The cell: a dash for a figure not exported, {@code >2.50s} for a capped percentile, {@code idle}. */
    public String text(Figures f) {
        return text.apply(f);
    }

    /**
     * The number the cell shows, in its unit (per second, a fraction, seconds): NaN for a figure
     * not exported or a percentile of an idle window; for a capped percentile, its lower bound.
     */
    public double value(Figures f) {
        return value.applyAsDouble(f);
    }

    /** The percentile behind a latency column, with its status; null for the other columns or when not exported. */
    public Estimate estimate(Figures f) {
        return estimate.apply(f);
    }

    /** Whether this is a latency percentile (its {@link #estimate} may be capped). */
    public boolean latency() {
        return ordinal() >= TTFT_P50.ordinal() && ordinal() <= E2E_P99.ordinal();
    }
}
