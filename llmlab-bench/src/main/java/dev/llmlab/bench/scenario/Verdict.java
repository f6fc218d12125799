package dev.llmlab.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Whether a load level was sustained: the run was valid and not stopped for over-saturation, the
 * server kept up with an open loop's offered rate (its last requests ended about a typical request
 * after the last send), errors stayed under the limit, and every target
 * was met. {@link #reasons} says what failed; {@link #margin} how far from the bounds it was.
 *
 * @param minKeepUp   an open loop's send span over its measured window less a typical request's e2e
 *                    (0.9): a server whose backlog after the last send outlasts a typical request by
 *                    more than a ninth of the span was falling behind, whatever its latency so far
 * @param maxErrors   failed over all requests allowed when no {@code error_rate} target is given
 */
public record Verdict(double minKeepUp, double maxErrors) {
    public static final Verdict DEFAULT = new Verdict(0.9, 0.01);

    /** What failed at this level; empty when it passed. */
    public List<String> reasons(Load load, JsonNode result) {
        List<String> out = new ArrayList<>();
        JsonNode sum = result.path("summary");
        if (!sum.path("valid").asBoolean(true))
            out.add("invalid: " + sum.path("invalid_reason").asString(""));
        if (sum.path("stopped_early").isString())
            out.add(sum.path("stopped_early").asString());
        long ok = sum.path("requests_completed").asLong(0);
        long failed = sum.path("requests_failed").asLong(0);
        if (ok + failed == 0) out.add("no request completed");
        boolean errorTarget = false;
        for (JsonNode t : result.path("slo").path("targets")) {
            if (t.path("kind").asString("").equals("error_rate")) errorTarget = true;
            if (!t.path("met").asBoolean(false)) out.add(t.path("name").asString());
        }
        if (!errorTarget && ok + failed > 0 && (double) failed / (ok + failed) > maxErrors) {
            out.add(String.format(
                    Locale.ROOT, "error rate %.2f%% > %.2f%%", 100.0 * failed / (ok + failed), 100 * maxErrors));
        }
        if (load.axis() == Load.Axis.RATE
                && ok + failed > 1
                && sum.path("sent_rate").asDouble(0) > 0) {
            // The measured requests were sent over (n - 1) / sent_rate seconds, and the window runs on to
            // the last one's end. A server that keeps up ends the last request about a typical request
            // after the last send; one falling behind ends it after its backlog, which grew all along.
            // (Comparing completions a second with sends a second would fail any server whose requests
            // take a good part of the window: 3.5 s answers in a 30 s level read as 89%.)
            double sendSpan = (ok + failed - 1) / sum.path("sent_rate").asDouble();
            JsonNode e2e = result.path("metrics").path("e2e_intended");
            if (e2e.path("count").asLong(0) == 0) e2e = result.path("metrics").path("e2e");
            double typical = e2e.path("count").asLong(0) > 0 ? e2e.path("p50").asDouble() / 1000 : 0;
            double window = sum.path("duration_s").asDouble(0);
            if (window - typical > sendSpan / minKeepUp) {
                out.add(String.format(
                        Locale.ROOT,
                        "fell behind: the last request ended %.3g s after the last send, a typical"
                                + " one takes %.3g s",
                        window - sendSpan,
                        typical));
            }
        }
        return out;
    }

    /**
     * How far the level is from its bounds: the largest of each target's value over its bound minus 1
     * (bound over value for a minimum), so negative when every target holds with room, and positive
     * infinity when it failed for a reason with no measure (invalid, over-saturated, fell behind).
     *
     * @param reasons what {@link #reasons} found for it
     */
    public static double margin(JsonNode result, List<String> reasons) {
        if (!targetsOnly(reasons, result.path("slo"))) return Double.POSITIVE_INFINITY;
        double m = Double.NEGATIVE_INFINITY;
        for (JsonNode t : result.path("slo").path("targets")) {
            double v = t.path("value").asDouble(Double.NaN);
            double b = t.path("bound").asDouble(Double.NaN);
            if (Double.isNaN(v)) return Double.POSITIVE_INFINITY;
            double e = switch (t.path("kind").asString("")) {
                case "minimum" -> v > 0 ? b / v - 1 : Double.POSITIVE_INFINITY;
                case "range" -> t.path("met").asBoolean() ? -0.01 : 0.01;
                default -> b > 0 ? v / b - 1 : (v > 0 ? Double.POSITIVE_INFINITY : -1);
            };
            m = Math.max(m, e);
        }
        return m == Double.NEGATIVE_INFINITY ? (reasons.isEmpty() ? -1 : Double.POSITIVE_INFINITY) : m;
    }

    /** Whether every reason is a missed target of {@code slo} (none is: invalid, over-saturated, fell behind). */
    static boolean targetsOnly(Iterable<String> reasons, JsonNode slo) {
        for (String r : reasons) {
            boolean isTarget = false;
            for (JsonNode t : slo.path("targets"))
                isTarget |= t.path("name").asString().equals(r);
            if (!isTarget) return false;
        }
        return true;
    }
}
