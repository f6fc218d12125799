package dev.llmlab.bench.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a result says of latency against load, for fitting a model of the server to it ({@code
 * llmlab sim calibrate}): the request shape, and per level its rate with the mean TTFT and TPOT and
 * how long its arrivals lasted.
 *
 * <p>A level's rate is what the fit replays as arrivals. For an open loop that is the rate it
 * offered ({@code summary.sent_rate}): past saturation, completions per second ({@code
 * rate_achieved}) stay at the server's capacity while its queue grows, and a model fed them would
 * never queue (on a sweep of the 70B preset to 160% of its capacity, the fit's error was 31% with
 * the completion rates against 9% with the offered ones). A closed loop offers no rate of its own,
 * so its point is its completions per second, as is a level that does not say what it sent (a
 * hand-written file).
 *
 * <p>A sweep gives a point per level; a single run gives one. The request shape is the config's
 * when it gives plain counts ({@code --input-tokens 256}, {@code --output-tokens} or else
 * {@code --max-tokens}), else the run's measured means from its summary.
 *
 * <p>How long a level's arrivals lasted is the config's length of a level ({@code
 * seconds_per_point}) or of the run ({@code duration_s}) when it ran for a time; a level that ran
 * a number of requests took its own measured window ({@code summary.duration_s} of its point):
 * levels of one sweep at different rates take different times to send the same count.
 *
 * <p>A closed loop of several users (a sweep's throughput point) is left out, and said so in
 * {@code leftOut}: the model replays a level as open-loop arrivals at its rate, and a closed loop's
 * users queue behind one another in a way such a replay does not (on the simulator's own 8B preset,
 * its TTFT came out 85% short and pulled every fitted cost off). A closed loop of one user, nothing
 * queued, replays well as an open loop at its rate.
 *
 * @param promptTokens tokens per prompt
 * @param outputTokens tokens per answer
 * @param leftOut      the levels left out, each with why
 */
public record LatencyByLoad(int promptTokens, int outputTokens, List<Point> points, List<String> leftOut) {
    public LatencyByLoad {
        points = List.copyOf(points);
    }

    /**
     * One level: its rate in requests per second (offered, or completed where it offered none: see
     * the class comment), the mean TTFT and TPOT in ms, and how long its arrivals lasted in seconds
     * (NaN when the result does not say).
     */
    public record Point(double rate, double ttftMeanMs, double tpotMeanMs, double seconds) {}

    /**
     * @throws IllegalArgumentException naming the field of the result that is missing or wrong
     */
    public static LatencyByLoad of(BenchResult r) {
        RunConfig c = r.config();
        Summary sum = r.summary();
        double perRequest = sum == null ? 0 : or0(sum.requestThroughput());
        double outMean = perRequest > 0 ? or0(sum.outputTokenThroughput()) / perRequest : 0;
        double inMean = perRequest > 0 ? or0(sum.totalTokenThroughput()) / perRequest - outMean : 0;
        int prompt = positiveInt(count(c == null ? null : c.inputTokens(), inMean), "config.input_tokens");
        String output = c == null
                ? null
                : c.outputTokens() != null
                        ? c.outputTokens()
                        : c.maxTokens() > 0 ? String.valueOf(c.maxTokens()) : null;
        int out = positiveInt(count(output, outMean), "config.output_tokens");
        // How long each level's arrivals lasted: a level or run of a duration says so; a level or run of a
        // number of requests took its own measured window.
        double given = Double.NaN;
        if (c != null) {
            Double perPoint = c.secondsPerPoint();
            if (perPoint != null && !Double.isNaN(perPoint)) {
                if (!(perPoint > 0)) throw new IllegalArgumentException("config.seconds_per_point must be positive");
                given = perPoint;
            } else if (c.durationS() > 0) {
                given = c.durationS();
            }
        }
        List<Point> points = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        if (r.sweep() != null) {
            List<Sweep.Point> sweep = r.sweep().points();
            for (int i = 0; i < sweep.size(); i++) {
                Sweep.Point p = sweep.get(i);
                if (Double.isNaN(p.rate()) && p.concurrency() != null && p.concurrency() > 1) {
                    leftOut.add("sweep.points[" + i + "] (" + (p.label() == null ? "closed loop" : p.label())
                            + "), a closed loop of " + p.concurrency()
                            + " users: their queue is not what open-loop arrivals at its rate would meet");
                    continue;
                }
                boolean offered = !Double.isNaN(p.rate()) && sent(p.summary());
                points.add(point(
                        offered ? p.summary().sentRate() : p.rateAchieved(),
                        p.metrics(),
                        Double.isNaN(given) ? window(p.summary()) : given,
                        "sweep.points[" + i + "]",
                        offered ? "summary.sent_rate" : "rate_achieved"));
            }
        } else if (sum != null) {
            boolean offered = c != null && c.mode() == RunConfig.Mode.OPEN && sent(sum);
            points.add(point(
                    offered ? sum.sentRate() : sum.requestThroughput(),
                    r.metrics(),
                    Double.isNaN(given) ? window(sum) : given,
                    "the result",
                    offered ? "summary.sent_rate" : "summary.request_throughput"));
        } else {
            throw new IllegalArgumentException("no sweep.points and no summary");
        }
        return new LatencyByLoad(prompt, out, points, leftOut);
    }

    /** A summary's measured window in seconds; NaN when it gives none. */
    private static double window(Summary s) {
        return s != null && s.durationS() > 0 ? s.durationS() : Double.NaN;
    }

    /** Whether a summary says at what rate its load was sent. */
    private static boolean sent(Summary s) {
        return s != null && s.sentRate() > 0 && !Double.isInfinite(s.sentRate());
    }

    private static Point point(
            double rate, Map<String, Stats> metrics, double seconds, String where, String rateField) {
        Stats ttft = metrics.get("ttft");
        Stats tpot = metrics.get("tpot");
        double t = ttft == null ? Double.NaN : ttft.mean();
        double p = tpot == null ? Double.NaN : tpot.mean();
        if (Double.isNaN(rate) || Double.isNaN(t) || Double.isNaN(p)) {
            throw new IllegalArgumentException(
                    where + " needs numbers at " + rateField + ", metrics.ttft.mean and metrics.tpot.mean (ms)");
        }
        if (!(rate > 0) || !(t > 0) || !(p > 0))
            throw new IllegalArgumentException(where + ": rate, TTFT and TPOT must be positive");
        return new Point(rate, t, p, seconds);
    }

    /** A count given as a plain number; else {@code fallback} (0: none), as for a distribution. */
    private static double count(String given, double fallback) {
        if (given == null) return fallback;
        try {
            return Double.parseDouble(given.strip());
        } catch (NumberFormatException e) {
            return fallback; // a distribution, such as "uniform(min=100,max=500)"
        }
    }

    private static int positiveInt(double v, String field) {
        if (!(v >= 1))
            throw new IllegalArgumentException(field + " must be a number >= 1 (or the summary must give it)");
        return (int) Math.round(v);
    }

    private static double or0(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
