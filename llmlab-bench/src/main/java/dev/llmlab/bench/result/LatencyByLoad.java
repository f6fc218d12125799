package dev.llmlab.bench.result;

import dev.llmlab.bench.load.Arrivals;
import dev.llmlab.bench.load.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * a number of requests took its warm-up plus its own measured window ({@code summary.duration_s}
 * of its point, which starts after the warm-up): levels of one sweep at different rates take
 * different times to send the same count.
 *
 * <p>A closed loop says its users ({@link Point#users()}), so that a fit replays it as a closed
 * loop: replayed as open-loop arrivals at its rate, a sweep's throughput point of 128 users came
 * out 85% short of its TTFT on the simulator's own 8B preset, since a closed loop's users queue
 * behind one another as no open loop at that rate does. A closed loop of several users joining over
 * a ramp is left out, and said so in {@code leftOut}.
 *
 * <p>An open loop's level carries its very send times when the result says enough to draw them
 * again ({@link Point#arrivals()}), so that a fit replays what was sent rather than other random
 * arrivals at its rate.
 *
 * <p>A level that ran for a time measured only the requests sent after its warm-up and before its
 * cool-down ({@code config.warmup_s}, {@code config.cooldown_s}); a model of it must leave the same
 * ones out, since near saturation the first seconds' requests meet an emptier server.
 *
 * @param promptTokens    tokens per prompt
 * @param outputTokens    tokens per answer
 * @param leftOut         the levels left out, each with why
 * @param warmupSeconds   how long each level's arrivals went unmeasured at its start
 * @param cooldownSeconds how long each level's arrivals went unmeasured at its end (0 for a level of
 *                        a number of requests, which has none)
 */
public record LatencyByLoad(
        int promptTokens,
        int outputTokens,
        List<Point> points,
        List<String> leftOut,
        double warmupSeconds,
        double cooldownSeconds) {
    public LatencyByLoad {
        points = List.copyOf(points);
    }

    /**
     * One level: its rate in requests per second (offered, or completed where it offered none: see
     * the class comment), the mean TTFT and TPOT in ms, how long its arrivals lasted in seconds (NaN
     * when the result does not say), the very send times its open loop was given when the result
     * says enough to draw them again (null otherwise), and for a closed loop its users (0 for an
     * open loop or a level that does not say).
     */
    public record Point(
            double rate, double ttftMeanMs, double tpotMeanMs, double seconds, Schedule arrivals, int users) {
        /** A level whose send times are not known. */
        public Point(double rate, double ttftMeanMs, double tpotMeanMs, double seconds) {
            this(rate, ttftMeanMs, tpotMeanMs, seconds, null, 0);
        }
    }

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
        // number of requests took its warm-up and its own measured window.
        double given = Double.NaN;
        double warmup = 0;
        double cooldown = 0;
        if (c != null) {
            Double perPoint = c.secondsPerPoint();
            if (perPoint != null && !Double.isNaN(perPoint)) {
                if (!(perPoint > 0)) throw new IllegalArgumentException("config.seconds_per_point must be positive");
                given = perPoint;
            } else if (c.durationS() > 0) {
                given = c.durationS();
            }
            // bench leaves a warm-up out of every run; a cool-down only out of one that ran for a time
            warmup = nonNegative(c.warmupS());
            if (!Double.isNaN(given)) cooldown = nonNegative(c.cooldownS());
        }
        List<Point> points = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        if (r.sweep() != null) {
            List<Sweep.Point> sweep = r.sweep().points();
            for (int i = 0; i < sweep.size(); i++) {
                Sweep.Point p = sweep.get(i);
                int users = Double.isNaN(p.rate()) && p.concurrency() != null ? p.concurrency() : 0;
                if (users > 1 && c != null && c.ramp() != null && !"none".equalsIgnoreCase(c.ramp())) {
                    leftOut.add("sweep.points[" + i + "] (" + (p.label() == null ? "closed loop" : p.label())
                            + "), a closed loop of " + users + " users joining over a ramp, which the fit does not"
                            + " replay");
                    continue;
                }
                boolean offered = !Double.isNaN(p.rate()) && sent(p.summary());
                points.add(point(
                        offered ? p.summary().sentRate() : p.rateAchieved(),
                        p.metrics(),
                        Double.isNaN(given) ? window(p.summary()) + warmup : given,
                        "sweep.points[" + i + "]",
                        offered ? "summary.sent_rate" : "rate_achieved",
                        offered ? schedule(c, p.rate(), p.summary()) : null,
                        users));
            }
        } else if (sum != null) {
            boolean offered = c != null && c.mode() == RunConfig.Mode.OPEN && sent(sum);
            points.add(point(
                    offered ? sum.sentRate() : sum.requestThroughput(),
                    r.metrics(),
                    Double.isNaN(given) ? window(sum) + warmup : given,
                    "the result",
                    offered ? "summary.sent_rate" : "summary.request_throughput",
                    offered ? schedule(c, c.rate(), sum) : null,
                    c != null && c.mode() == RunConfig.Mode.CLOSED && c.concurrency() > 0 ? c.concurrency() : 0));
        } else {
            throw new IllegalArgumentException("no sweep.points and no summary");
        }
        return new LatencyByLoad(prompt, out, points, leftOut, warmup, cooldown);
    }

    /** A summary's measured window in seconds; NaN when it gives none. */
    private static double window(Summary s) {
        return s != null && s.durationS() > 0 ? s.durationS() : Double.NaN;
    }

    /** Whether a summary says at what rate its load was sent. */
    private static boolean sent(Summary s) {
        return s != null && s.sentRate() > 0 && !Double.isInfinite(s.sentRate());
    }

    /**
     * The send times an open-loop level was given, drawn again from its settings ({@link
     * Schedule#open}: the same settings and seed give the same times), when the result names them
     * all and the level measured exactly the sends that falls in its window: a fit can then replay
     * the very arrivals measured instead of other random ones, and a level's misfit is no longer
     * the luck of its draw. Null for a dataset's, a shard's or a merged result's levels, and for a
     * level that was stopped or whose count does not match.
     */
    private static Schedule schedule(RunConfig c, double rate, Summary s) {
        if (c == null || s == null || c.mode() != RunConfig.Mode.OPEN || !(rate > 0) || Double.isInfinite(rate))
            return null;
        if (c.dataset() != null || c.shard() != null || c.mergedFrom() != null || c.arrival() == null) return null;
        if (s.stoppedEarly() != null) return null;
        Schedule schedule;
        try {
            schedule = Schedule.open(
                    rate,
                    Arrivals.parse(c.arrival(), Double.isNaN(c.burstiness()) ? 1 : c.burstiness()),
                    Math.max(0, c.durationS()),
                    Math.max(0, c.requests()),
                    c.ramp() == null
                            ? Schedule.Ramp.NONE
                            : Schedule.Ramp.valueOf(c.ramp().toUpperCase(Locale.ROOT)),
                    Double.isNaN(c.rampS()) ? 0 : c.rampS(),
                    c.seed());
        } catch (IllegalArgumentException e) {
            return null; // settings this version would not run: the level replays as Poisson arrivals
        }
        double from = nonNegative(c.warmupS());
        double until = c.durationS() > 0 ? c.durationS() - nonNegative(c.cooldownS()) : Double.POSITIVE_INFINITY;
        long inWindow = 0;
        for (int i = 0; i < schedule.size(); i++) {
            double t = schedule.offsetNanos(i) / 1e9;
            if (t >= from && t < until) inWindow++;
        }
        return inWindow == s.requests() + s.requestsAbandoned() ? schedule : null;
    }

    private static Point point(
            double rate,
            Map<String, Stats> metrics,
            double seconds,
            String where,
            String rateField,
            Schedule arrivals,
            int users) {
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
        return new Point(rate, t, p, seconds, arrivals, users);
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

    private static double nonNegative(double v) {
        return v > 0 ? v : 0;
    }

    private static double or0(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
