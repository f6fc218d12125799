package dev.llmlab.top;

import dev.llmlab.metrics.Quantity;
import dev.llmlab.metrics.ServerKind;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The config's SLOs as Prometheus recording and alerting rules ({@code llmlab top --rules}), so that
 * the burn alerts top shows also page when no one is watching top. The rules compute what {@link
 * SloBook} does, in PromQL: each window's bad share from the servers' own counters and buckets
 * ({@code llmlab:slo_bad_ratio:5m}), and an alert per policy ({@link Objectives}) when both its
 * windows burn the budget at least that fast. A latency threshold must be one of the histogram's
 * bucket bounds here, since PromQL can only select a bucket (top itself interpolates); goodput is
 * its lower bound, as in top.
 */
public final class PrometheusRules {
    private PrometheusRules() {}

    /** Kinds whose aliases are plain metric names (no label filter), with their model label. */
    private static String modelLabel(ServerKind kind) {
        return switch (kind) {
            case VLLM, LLMLAB, SGLANG -> "model_name";
            case TGI, LLAMA_CPP, TENSORRT_LLM -> "model";
            default ->
                throw new IllegalArgumentException(
                        "rules are written for vllm, llmlab, sglang, tgi, llamacpp or trtllm," + " not "
                                + kind.label());
        };
    }

    /**
     * @param kind a server kind's label ({@code vllm}); its metric names are the rules'
     * @throws IllegalArgumentException for no SLO, an unknown kind, or an SLO that kind cannot measure
     */
    public static String write(Objectives o, String kind) {
        if (o.slos().isEmpty()) throw new IllegalArgumentException("the config has no slos to write rules for");
        ServerKind k = null;
        for (ServerKind each : ServerKind.values()) if (each.label().equals(kind)) k = each;
        if (k == null) throw new IllegalArgumentException("no server kind '" + kind + "' (vllm, sglang, tgi, ...)");
        String label = modelLabel(k);
        TreeSet<Duration> windows = new TreeSet<>(List.of(
                o.page().shortWindow(),
                o.page().longWindow(),
                o.ticket().shortWindow(),
                o.ticket().longWindow()));
        StringBuilder y = new StringBuilder();
        y.append("# llmlab top --rules: SLO burn-rate rules over ").append(kind).append("'s metric names.\n");
        y.append("# Check with: promtool check rules FILE\n");
        y.append("groups:\n");
        for (Slo slo : o.slos()) {
            String matcher = slo.models() == null
                    ? ""
                    : label + "=~" + quote(Slo.glob(slo.models()).pattern());
            y.append("  - name: llmlab-slo-").append(slo.name()).append('\n');
            y.append("    rules:\n");
            for (Duration w : windows) {
                y.append("      - record: llmlab:slo_bad_ratio:")
                        .append(promDuration(w))
                        .append('\n');
                y.append("        expr: ")
                        .append(quote(badRatio(slo, k, label, matcher, promDuration(w))))
                        .append('\n');
                y.append("        labels:\n          slo: ")
                        .append(quote(slo.name()))
                        .append('\n');
            }
            alert(y, slo, "page", o.page());
            alert(y, slo, "ticket", o.ticket());
        }
        return y.toString();
    }

    private static void alert(StringBuilder y, Slo slo, String severity, Objectives.Rule r) {
        double limit = r.burn() * (1 - slo.target());
        String sel = "{slo=" + quote(slo.name()) + "}";
        y.append("      - alert: LlmlabSloBurn")
                .append(severity.equals("page") ? "Page" : "Ticket")
                .append('\n');
        y.append("        expr: ")
                .append(quote("llmlab:slo_bad_ratio:" + promDuration(r.longWindow()) + sel + " > " + num(limit)
                        + " and llmlab:slo_bad_ratio:" + promDuration(r.shortWindow()) + sel + " > " + num(limit)))
                .append('\n');
        y.append("        labels:\n          severity: ")
                .append(severity)
                .append("\n          slo: ")
                .append(quote(slo.name()))
                .append('\n');
        y.append("        annotations:\n          summary: ")
                .append(quote("SLO " + slo.name() + " (" + slo.describe() + ") burns its error budget at "
                        + num(r.burn()) + "x or more over " + promDuration(r.longWindow()) + " and "
                        + promDuration(r.shortWindow())))
                .append('\n');
    }

    private static String badRatio(Slo slo, ServerKind k, String label, String matcher, String w) {
        String by = "sum by (" + label + ") ";
        return switch (slo.metric()) {
            case TTFT, ITL, E2E -> {
                String h = name(
                        k,
                        slo.metric() == Slo.Metric.TTFT
                                ? Quantity.TTFT
                                : slo.metric() == Slo.Metric.ITL ? Quantity.ITL : Quantity.E2E);
                yield "1 - (" + by + "(rate(" + h + "_bucket" + sel(matcher, le(slo.threshold())) + "[" + w + "])) / "
                        + by + "(rate(" + h + "_count" + sel(matcher, null) + "[" + w + "])))";
            }
            case ERRORS -> {
                String failed = counter(k, Quantity.REQUESTS_FAILED, slo);
                String ok = counter(k, Quantity.REQUESTS_SUCCEEDED, slo);
                String f = by + "(rate(" + failed + sel(matcher, null) + "[" + w + "]))";
                yield f + " / (" + by + "(rate(" + ok + sel(matcher, null) + "[" + w + "])) + " + f + ")";
            }
            case GOODPUT -> {
                String ok = by + "(rate(" + counter(k, Quantity.REQUESTS_SUCCEEDED, slo) + sel(matcher, null) + "[" + w
                        + "]))";
                boolean failures = !k.names(Quantity.REQUESTS_FAILED).isEmpty();
                String f = failures
                        ? by + "(rate(" + counter(k, Quantity.REQUESTS_FAILED, slo) + sel(matcher, null) + "[" + w
                                + "]))"
                        : null;
                StringBuilder bad = new StringBuilder("(");
                String plus = "";
                Quantity[] qs = {Quantity.TTFT, Quantity.E2E};
                Duration[] bounds = {slo.ttft(), slo.e2e()};
                for (int i = 0; i < 2; i++) {
                    if (bounds[i] == null) continue;
                    String h = name(k, qs[i]);
                    bad.append(plus)
                            .append('(')
                            .append(by)
                            .append("(rate(")
                            .append(h)
                            .append("_count")
                            .append(sel(matcher, null))
                            .append('[')
                            .append(w)
                            .append("])) - ")
                            .append(by)
                            .append("(rate(")
                            .append(h)
                            .append("_bucket")
                            .append(sel(matcher, le(bounds[i])))
                            .append('[')
                            .append(w)
                            .append("])))");
                    plus = " + ";
                }
                if (f != null) bad.append(" + ").append(f);
                bad.append(')');
                yield bad + " / (" + ok + (f == null ? "" : " + " + f) + ")";
            }
        };
    }

    private static String name(ServerKind k, Quantity q) {
        List<String> names = k.names(q);
        if (names.isEmpty())
            throw new IllegalArgumentException(
                    k.label() + " exports no " + q.name().toLowerCase(Locale.ROOT));
        return names.getFirst();
    }

    private static String counter(ServerKind k, Quantity q, Slo slo) {
        List<String> names = k.names(q);
        if (names.isEmpty())
            throw new IllegalArgumentException("SLO '" + slo.name() + "' needs "
                    + q.name().toLowerCase(Locale.ROOT) + ", which " + k.label() + " does not export");
        String n = names.getFirst();
        return n.endsWith("_total") ? n : n + "_total";
    }

    private static String sel(String matcher, String le) {
        if (matcher.isEmpty() && le == null) return "";
        if (le == null) return "{" + matcher + "}";
        return "{" + (matcher.isEmpty() ? "" : matcher + ",") + le + "}";
    }

    /** A bucket's {@code le} whether the exporter wrote {@code 0.5}, {@code 0.50} or {@code 1} as {@code 1.0}. */
    private static String le(Duration threshold) {
        String v = java.math.BigDecimal.valueOf(threshold.toNanos(), 9)
                .stripTrailingZeros()
                .toPlainString();
        String re = v.contains(".") ? v.replace(".", "\\\\.") + "0*" : v + "(\\\\.0+)?";
        return "le=~\"" + re + "\"";
    }

    private static String promDuration(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) return s / 3600 + "h";
        if (s % 60 == 0) return s / 60 + "m";
        return s + "s";
    }

    private static String num(double v) {
        return java.math.BigDecimal.valueOf(v)
                .round(new java.math.MathContext(6))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** A YAML double-quoted scalar. */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
