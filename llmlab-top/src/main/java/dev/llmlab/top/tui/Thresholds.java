package dev.llmlab.top.tui;

import dev.llmlab.metrics.Histograms.Estimate;
import dev.llmlab.top.Column;
import dev.llmlab.top.Figures;
import dev.llmlab.top.Row;
import java.util.Map;

/**
 * When a cell turns yellow or red: a function of its row and column, so that SLOs, once the
 * configuration has them, come in as {@link #latencySlo} and nothing else changes.
 *
 * <p>The rule until then ({@link #DEFAULT}, written in docs/top.md):
 * <ul>
 *   <li>a latency percentile that is capped ({@code >X}: its rank fell past the last finite bucket,
 *       so the truth is above the largest latency the server can tell apart) is red; with an SLO
 *       for its column, above the SLO is red and above 80% of it yellow;
 *   <li>ERR% above 1% is yellow, above 5% red;
 *   <li>KV% above 90% is yellow; requests waiting while the KV cache is above 95% full is red on
 *       both KV% and WAIT: the server is out of cache, not merely busy;
 *   <li>any preemption is yellow (a request lost its cache and starts over).
 * </ul>
 *
 * @param latencySlo the most each latency column may be, in seconds; a column absent has none
 */
record Thresholds(double errorWarn, double errorBad, double kvWarn, double kvBad, Map<Column, Double> latencySlo) {
    static final Thresholds DEFAULT = new Thresholds(0.01, 0.05, 0.90, 0.95, Map.of());

    /** What to make of a figure: leave it, or draw the eye to it. */
    enum Level {
        OK,
        WARN,
        BAD
    }

    Thresholds {
        latencySlo = Map.copyOf(latencySlo);
    }

    /**
     * The default rule, with the config's latency SLOs on the columns that show their percentile:
     * an SLO on p99 (or p50) of TTFT, ITL or e2e colours that column. An SLO on another percentile
     * (p95) has no column to colour; its standing shows in the SLO lines under the table.
     */
    static Thresholds of(dev.llmlab.top.Objectives o) {
        Map<Column, Double> slo = new java.util.EnumMap<>(Column.class);
        for (dev.llmlab.top.Slo s : o.slos()) {
            if (s.threshold() == null || s.models() != null) continue; // a glob's SLO is not every row's
            Column c = switch (s.metric()) {
                case TTFT -> s.percentile() == 99 ? Column.TTFT_P99 : s.percentile() == 50 ? Column.TTFT_P50 : null;
                case ITL -> s.percentile() == 99 ? Column.ITL_P99 : s.percentile() == 50 ? Column.ITL_P50 : null;
                case E2E -> s.percentile() == 99 ? Column.E2E_P99 : null;
                default -> null;
            };
            if (c != null) slo.merge(c, s.threshold().toNanos() / 1e9, Math::min);
        }
        return new Thresholds(DEFAULT.errorWarn, DEFAULT.errorBad, DEFAULT.kvWarn, DEFAULT.kvBad, slo);
    }

    Level level(Row row, Column c) {
        Figures f = row.figures();
        if (c.latency()) {
            Estimate e = c.estimate(f);
            if (e == null) return Level.OK;
            if (e.lowerBound()) return Level.BAD;
            Double slo = latencySlo.get(c);
            if (slo == null || e.status() != Estimate.Status.OK) return Level.OK;
            return e.value() > slo ? Level.BAD : e.value() > 0.8 * slo ? Level.WARN : Level.OK;
        }
        return switch (c) {
            case ERROR_RATE -> above(f.errorRate(), errorWarn, errorBad);
            case KV_CACHE_USAGE -> outOfCache(f) ? Level.BAD : f.kvCacheUsage() > kvWarn ? Level.WARN : Level.OK;
            case WAITING -> outOfCache(f) ? Level.BAD : Level.OK;
            case PREEMPTIONS_PER_SECOND -> f.preemptionsPerSecond() > 0 ? Level.WARN : Level.OK;
            default -> Level.OK;
        };
    }

    /** The worst level of a row's cells: for its name, and the drill-down's title. */
    Level worst(Row row) {
        Level worst = Level.OK;
        for (Column c : Column.values()) {
            Level l = level(row, c);
            if (l.compareTo(worst) > 0) worst = l;
        }
        return worst;
    }

    private boolean outOfCache(Figures f) {
        return f.waiting() > 0 && f.kvCacheUsage() > kvBad;
    }

    private static Level above(double v, double warn, double bad) {
        return v > bad ? Level.BAD : v > warn ? Level.WARN : Level.OK;
    }
}
